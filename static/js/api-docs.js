/* The API documentation page (Swagger UI): name the parameter fields Swagger UI draws
   without a label (its "Try it out" drop-downs), after the parameter they set. */
"use strict";

(function () {
  function nameFields(root) {
    root.querySelectorAll("tr[data-param-name] select, tr[data-param-name] input").forEach(
      function (field) {
        if (field.getAttribute("aria-label") || field.labels && field.labels.length) return;
        var row = field.closest("tr[data-param-name]");
        field.setAttribute("aria-label", row.getAttribute("data-param-name"));
      }
    );
  }
  new MutationObserver(function () { nameFields(document); }).observe(document.body, {
    childList: true,
    subtree: true,
  });
})();
