//! Reordering a large slice in place, by a permutation given as the
//! position each item comes from: [`permute`] follows each cycle of the
//! permutation once, so no second copy of the items is made (the diff
//! sorts each side's records by contact this way).

/// Marks a position of `from` already filled.
const DONE: u32 = u32::MAX;

/// Moves the item at `from[k]` to `k`, for every `k`, in place; `from`
/// must be a permutation of the positions of `items` (fewer than
/// `u32::MAX`), and is used up. Items are not moved past a position that
/// `from` does not name.
pub fn permute<T: Copy>(items: &mut [T], from: &mut [u32]) {
    for start in 0..from.len() {
        if from.get(start).is_none_or(|&f| f == DONE) {
            continue;
        }
        let Some(&held) = items.get(start) else {
            return;
        };
        let mut k = start;
        loop {
            let Some(slot) = from.get_mut(k) else { return };
            let source = std::mem::replace(slot, DONE) as usize;
            let item = if source == start {
                held
            } else {
                match items.get(source) {
                    Some(&item) => item,
                    None => return,
                }
            };
            if let Some(place) = items.get_mut(k) {
                *place = item;
            }
            if source == start {
                break;
            }
            k = source;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::permute;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig {
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn permuting_in_place_is_gathering_into_a_copy(keys in prop::collection::vec(0u8..8, 0..64)) {
            // A permutation: the positions, sorted (stably) by their keys.
            let mut from: Vec<u32> = (0..keys.len() as u32).collect();
            from.sort_by_key(|&i| keys[i as usize]);
            let items: Vec<(u8, usize)> = keys.iter().copied().zip(0..).collect();
            let gathered: Vec<_> = from.iter().map(|&i| items[i as usize]).collect();
            let mut permuted = items.clone();
            permute(&mut permuted, &mut from);
            prop_assert_eq!(permuted, gathered);
        }
    }

    #[test]
    fn a_cycle_and_a_fixed_point() {
        let mut items = ['a', 'b', 'c', 'd'];
        permute(&mut items, &mut [2, 0, 1, 3]);
        assert_eq!(items, ['c', 'a', 'b', 'd']);
    }
}
