// Progressive enhancement: refresh the petition's count every minute from its JSON endpoint.
// The page works the same without it; the server-rendered count is always there first.
(function () {
  "use strict";
  var section = document.querySelector("[data-count-url]");
  if (!section || !window.fetch) return;
  var url = section.getAttribute("data-count-url");
  var number = new Intl.NumberFormat(document.documentElement.lang || undefined);

  function refresh() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "omit" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || typeof data.signature_count !== "number") return;
        section.querySelectorAll("[data-count]").forEach(function (element) {
          element.textContent = number.format(data.signature_count);
        });
        var bar = section.querySelector("progress");
        if (bar) bar.value = Math.min(data.signature_count, Number(bar.max));
      })
      .catch(function () { /* keep the count we have */ });
  }

  window.setInterval(refresh, 60000);
})();
