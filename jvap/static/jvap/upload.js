// Progress feedback while a large spreadsheet is sent and checked. Without JavaScript the
// form posts normally; with it, the file is sent with XMLHttpRequest to show the progress.
(function () {
  "use strict";
  document.querySelectorAll("form[data-jvap-upload]").forEach(function (form) {
    var status = form.querySelector("#jvap-upload-progress");
    if (!status || !window.FormData) { return; }
    var bar = status.querySelector("progress");
    form.addEventListener("submit", function (event) {
      if (!form.reportValidity()) { return; }
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      status.hidden = false;
      var request = new XMLHttpRequest();
      request.open("POST", form.action || window.location.href);
      request.upload.addEventListener("progress", function (progress) {
        if (progress.lengthComputable) { bar.value = Math.round(100 * progress.loaded / progress.total); }
      });
      request.upload.addEventListener("load", function () {
        bar.removeAttribute("value");
        status.querySelector("[data-label]").hidden = true;
        status.querySelector("[data-checking]").hidden = false;
      });
      request.addEventListener("load", function () {
        if (request.responseURL && request.responseURL !== window.location.href) {
          window.location.assign(request.responseURL);
        } else {
          document.open(); document.write(request.responseText); document.close();
        }
      });
      request.addEventListener("error", function () { form.submit(); });
      request.send(new FormData(form));
    });
  });
  document.querySelectorAll("form[data-jvap-confirm]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var note = form.querySelector("[data-saving]");
      if (note) { note.hidden = false; }
    });
  });
})();
