// Pendamping: the pages' only script. Everything works without it; with it,
// a page that shows changeable data follows the server's events (/events)
// and re-renders its main region in place.
(function () {
  "use strict";
  var body = document.body;
  if (!body || !body.hasAttribute("data-live") || !window.EventSource) { return; }
  var pending = null;
  var busy = false;

  function editing() {
    var el = document.activeElement;
    if (!el) { return false; }
    var tag = el.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") { return true; }
    if (tag === "INPUT" && el.type !== "submit" && el.type !== "button") { return true; }
    var forms = document.querySelectorAll("main textarea, main input[type=text], main input[type=url]");
    for (var i = 0; i < forms.length; i++) { if (forms[i].value) { return true; } }
    return false;
  }

  function refresh() {
    pending = null;
    if (busy) { return; }
    if (editing()) { pending = setTimeout(refresh, 3000); return; }
    busy = true;
    fetch(window.location.href, { credentials: "same-origin", headers: { "X-Pendamping-Fragment": "main" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        busy = false;
        if (!html) { return; }
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("main");
        var main = document.getElementById("main");
        if (fresh && main && fresh.innerHTML !== main.innerHTML) {
          main.innerHTML = fresh.innerHTML;
          body.setAttribute("data-updated", String(Date.now()));
        }
      })
      .catch(function () { busy = false; });
  }

  // The wall screen has no session: it listens with its dashboard token.
  var token = new URLSearchParams(window.location.search).get("token");
  var source = new EventSource(token ? "/events?token=" + encodeURIComponent(token) : "/events");
  source.addEventListener("change", function () {
    if (pending) { clearTimeout(pending); }
    pending = setTimeout(refresh, 250);
  });
})();
