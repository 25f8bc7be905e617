use super::*;
use proptest::prelude::*;

fn text(s: &str) -> Value {
    Value::Text(s.into())
}

#[test]
fn values_of_different_types_neither_equal_differ_nor_order() {
    let pairs = [
        (text("10"), Value::Number(10.0)),
        (Value::Bool(true), text("true")),
        (Value::Number(1.0), Value::Bool(true)),
    ];
    for (a, b) in &pairs {
        let (a, b) = (a.as_ref(), b.as_ref());
        assert!(!a.equals(b), "{a} == {b}");
        assert!(!a.differs(b), "{a} != {b}");
        assert_eq!(a.order(b), None, "{a} <=> {b}");
    }
}

#[test]
fn booleans_compare_for_equality_but_never_order() {
    let (t, f) = (ValueRef::Bool(true), ValueRef::Bool(false));
    assert!(t.equals(t));
    assert!(t.differs(f));
    assert!(!t.differs(t));
    assert_eq!(t.order(f), None);
}

#[test]
fn text_orders_by_code_point() {
    // "Z" (U+005A) sorts before "a" (U+0061), "é" after both.
    let (upper, lower, accented) = (text("Z"), text("a"), text("é"));
    assert_eq!(upper.as_ref().order(lower.as_ref()), Some(Ordering::Less));
    assert_eq!(
        accented.as_ref().order(lower.as_ref()),
        Some(Ordering::Greater)
    );
}

#[test]
fn display_quotes_text_only() {
    assert_eq!(text("a \"b\"").to_string(), r#""a \"b\"""#);
    assert_eq!(Value::Number(2.5).to_string(), "2.5");
    assert_eq!(Value::Number(10.0).to_string(), "10");
    assert_eq!(Value::Bool(false).to_string(), "false");
}

#[test]
fn serialises_as_a_bare_json_scalar() {
    let values = vec![text("lead"), Value::Number(12.0), Value::Bool(true)];
    let json = serde_json::to_string(&values).unwrap();
    assert_eq!(json, r#"["lead",12.0,true]"#);
    let back: Vec<Value> = serde_json::from_str(r#"["lead",12,true]"#).unwrap();
    assert_eq!(back, values);
}

#[test]
fn anything_but_a_scalar_is_refused_in_words() {
    let err = serde_json::from_str::<Value>("[1]")
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some("a property value must be a string, a number or a boolean")
    );
}

fn any_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        "[a-zé]{0,30}".prop_map(|s| Value::Text(s.into())),
        // Quarters: exact in JSON text, so the round trip can be checked.
        (-4_000_000i32..4_000_000).prop_map(|n| Value::Number(f64::from(n) / 4.0)),
        any::<bool>().prop_map(Value::Bool),
    ]
}

proptest! {
    /// Exactly one of `==` and `!=` holds for values of one type, and
    /// neither across types; `order` agrees with `==`.
    #[test]
    fn equality_and_difference_partition_same_typed_pairs(a in any_value(), b in any_value()) {
        let (a, b) = (a.as_ref(), b.as_ref());
        prop_assert_eq!(a.equals(b) || a.differs(b), a.same_type(b));
        prop_assert!(!(a.equals(b) && a.differs(b)));
        if let Some(o) = a.order(b) {
            prop_assert_eq!(o == Ordering::Equal, a.equals(b));
        }
    }

    /// Borrowing and copying back gives the same value, and JSON round-trips.
    #[test]
    fn owned_borrowed_and_json_forms_agree(v in any_value()) {
        prop_assert_eq!(&v.as_ref().to_value(), &v);
        let json = serde_json::to_string(&v).unwrap();
        let back: Option<Value> = serde_json::from_str(&json).ok();
        prop_assert_eq!(back, Some(v));
    }
}
