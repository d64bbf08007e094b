// Small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";
  // When printing, open the map's list so that the information is on paper too.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.map-list").forEach(function (details) { details.open = true; });
  });
})();
