// Progressive enhancement of the share buttons (templates/petitions/includes/_share_links.html)
// and of the printable sheet. Without JavaScript the plain share links work and the buttons
// below stay hidden: the browser's share sheet, "Copy link" and "Print" need a script.
(function () {
  "use strict";

  document.querySelectorAll("[data-share-url]").forEach(function (list) {
    var url = list.getAttribute("data-share-url");
    var title = list.getAttribute("data-share-title") || document.title;
    var panel = list.closest("section") || document;
    var status = panel.querySelector("[data-share-status]");

    var nativeItem = list.querySelector("[data-native-share]");
    if (nativeItem && navigator.share) {
      nativeItem.hidden = false;
      nativeItem.querySelector("button").addEventListener("click", function () {
        navigator.share({ title: title, url: url }).catch(function () {
          /* closed by the visitor, or refused: the other buttons are still there */
        });
      });
    }

    var copyItem = list.querySelector("[data-copy-link]");
    if (copyItem && navigator.clipboard && navigator.clipboard.writeText) {
      var button = copyItem.querySelector("button");
      var label = button.textContent;
      var copiedLabel = button.getAttribute("data-copied-label");
      var timer = null;
      copyItem.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(url).then(function () {
          button.textContent = copiedLabel;
          if (status) status.textContent = copiedLabel;
          window.clearTimeout(timer);
          timer = window.setTimeout(function () {
            button.textContent = label;
            if (status) status.textContent = "";
          }, 4000);
        }).catch(function () { /* no permission: the address is on the page to copy by hand */ });
      });
    }
  });

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
