// Progressive enhancement: refresh the petition's count every minute from its JSON endpoint.
// The page works the same without it; the server-rendered count is always there first.
(function () {
  "use strict";
  var section = document.querySelector("[data-count-url]");
  if (!section || !window.fetch) return;
  var url = section.getAttribute("data-count-url");
  var goal = Number(section.getAttribute("data-goal"));
  var number = new Intl.NumberFormat(document.documentElement.lang || undefined);
  // As Petition.progress_bar_percent: a sliver at least, once anyone has signed.
  var MIN_FILL = 2.5;

  function parsed(text) {
    return Number(text.replace(/[^0-9]/g, ""));
  }

  function refresh() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "omit" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || typeof data.signature_count !== "number") return;
        var count = data.signature_count;
        section.querySelectorAll("[data-count]").forEach(function (element) {
          element.textContent = number.format(count);
        });
        var bar = section.querySelector("[role=progressbar]");
        if (bar) bar.setAttribute("aria-valuenow", String(Math.min(count, goal)));
        var fill = section.querySelector("[data-progress-fill]");
        if (fill && goal > 0) {
          var share = Math.min(100, (count * 100) / goal);
          fill.setAttribute("width", (count ? Math.max(MIN_FILL, share) : 0).toFixed(1) + "%");
        }
        // "N more signatures": only while the number keeps the sentence's plural form (2 or
        // more on both sides); the words around it come from the server, in its language,
        // and the page itself says "Goal reached" within a minute of the cache.
        var remaining = Math.max(0, goal - count);
        section.querySelectorAll("[data-remaining]").forEach(function (element) {
          if (remaining >= 2 && parsed(element.textContent) >= 2) {
            element.textContent = number.format(remaining);
          }
        });
      })
      .catch(function () { /* keep the count we have */ });
  }

  window.setInterval(refresh, 60000);
})();
