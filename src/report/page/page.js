// The contacts' list and timelines, drawn from the JSON data above.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("wf-data").textContent);
  var names = data.names;
  var contacts = data.contacts;
  var byId = new Map();
  contacts.forEach(function (c) { byId.set(c[0], c); });
  var search = document.getElementById("contact-search");
  var onlyFlagged = document.getElementById("only-flagged");
  var list = document.getElementById("contact-list");
  var status = document.getElementById("contact-status");
  var timeline = document.getElementById("timeline");
  var LIMIT = 200;

  function name(i) { return i ? names[i - 1] : ""; }
  function time(t) {
    return new Date((data.base + t) * 1000).toISOString().slice(0, 19).replace("T", " ") + "Z";
  }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined) { e.textContent = text; }
    if (cls) { e.className = cls; }
    return e;
  }

  function drawList() {
    var q = search.value.trim().toLowerCase();
    var matches = contacts.filter(function (c) {
      return (!onlyFlagged.checked || c[1]) && c[0].toLowerCase().indexOf(q) >= 0;
    });
    list.textContent = "";
    matches.slice(0, LIMIT).forEach(function (c) {
      var li = el("li");
      var a = el("a", c[0]);
      a.href = "#contact=" + encodeURIComponent(c[0]);
      li.appendChild(a);
      if (c[1]) { li.appendChild(el("span", " \u25cf", "flag")).title = "has a skip or unenroll"; }
      list.appendChild(li);
    });
    status.textContent = matches.length + " of " + contacts.length + " contacts match" +
      (matches.length > LIMIT ? "; the first " + LIMIT + " are listed, refine the search" : "");
  }

  function describe(e) {
    if (e[0] === 0) {
      var what = name(e[2]) + (e[3] ? " (" + name(e[3]) + ")" : "");
      return ["event", what, "", "", "", "line " + e[4]];
    }
    var decision = name(e[2]);
    var reason = e[3] ? name(e[3]) : "";
    var step = e[7] ? "step " + e[7] : "";
    if (e[9]) { step += (step ? ", " : "") + "until " + time(e[9]); }
    var cause = e[8] ? "line " + e[8] : "";
    var rule = e[6] ? name(e[6]) : "";
    return [decision, reason, name(e[4]), name(e[5]), step, [rule, cause].filter(Boolean).join(", ")];
  }

  function drawTimeline(id) {
    timeline.textContent = "";
    var c = byId.get(id);
    if (!c) {
      if (id) { timeline.appendChild(el("p", "No contact " + id + " on this page.", "note")); }
      return;
    }
    timeline.appendChild(el("h3", "Timeline of " + id));
    var table = el("table");
    table.id = "timeline-table";
    var head = el("tr");
    ["time", "what", "reason / detail", "sequence", "sender", "step", "rule / cause"].forEach(function (h) {
      head.appendChild(el("th", h));
    });
    table.appendChild(head);
    c[2].forEach(function (e) {
      var tr = el("tr");
      var d = describe(e);
      if (e[0] === 0) {
        tr.appendChild(el("td", time(e[1])));
        tr.appendChild(el("td", "event"));
        tr.appendChild(el("td", d[1]));
        tr.appendChild(el("td", ""));
        tr.appendChild(el("td", ""));
        tr.appendChild(el("td", ""));
        tr.appendChild(el("td", d[5]));
      } else {
        if (d[0] === "skip" || d[0] === "unenroll") { tr.className = "hit"; }
        tr.setAttribute("data-decision", d[0]);
        tr.appendChild(el("td", time(e[1])));
        tr.appendChild(el("td", d[0]));
        tr.appendChild(el("td", d[1]));
        tr.appendChild(el("td", d[2]));
        tr.appendChild(el("td", d[3]));
        tr.appendChild(el("td", d[4]));
        tr.appendChild(el("td", d[5]));
      }
      table.appendChild(tr);
    });
    var wrap = el("div", undefined, "scroll");
    wrap.appendChild(table);
    timeline.appendChild(wrap);
  }

  function route() {
    var m = /^#contact=(.*)$/.exec(location.hash);
    if (m) {
      drawTimeline(decodeURIComponent(m[1]));
      timeline.focus();
    }
  }

  search.addEventListener("input", drawList);
  onlyFlagged.addEventListener("change", drawList);
  window.addEventListener("hashchange", route);
  drawList();
  route();
  document.body.setAttribute("data-ready", "yes");
})();
