// The export page's summary follows the "Include email addresses" box: the server renders
// both sentences ("... (no email addresses)" and "... (with email addresses)") and this shows
// the one that matches. Without JavaScript the page shows the sentence for the box as served.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("id_include_email");
  const summaries = document.querySelectorAll(".export-summary");
  if (!box || summaries.length === 0) {
    return;
  }
  const show = () => {
    for (const summary of summaries) {
      summary.hidden = (summary.dataset.withEmail === "true") !== box.checked;
    }
  };
  box.addEventListener("change", show);
  show();
});
