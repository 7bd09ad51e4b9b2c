// Clinic summary. Everything works without this file: the form posts and the browser
// downloads the PDF, and the print page prints from the browser's menu.
(function () {
  "use strict";
  // "Making your summary…" while the PDF is made: the request is sent from here, so the
  // page knows when the file has arrived and can say so.
  var form = document.querySelector("form[data-report-form]");
  var status = document.getElementById("report-progress");
  if (form && status && window.fetch && window.FormData && window.URL && URL.createObjectURL) {
    var buttons = form.querySelectorAll("button[type=submit]");
    var setBusy = function (busy) {
      buttons.forEach(function (button) { button.disabled = busy; });
      form.setAttribute("aria-busy", busy ? "true" : "false");
      status.classList.toggle("busy", busy);
    };
    var filename = function (response) {
      var header = response.headers.get("Content-Disposition") || "";
      var match = /filename="([^"]+)"/.exec(header);
      return match ? match[1] : "clinic-summary.pdf";
    };
    var submitPlainly = function () {
      // The server has something to say (a period it cannot use): let it show its page.
      var format = document.createElement("input");
      format.type = "hidden";
      format.name = "format";
      format.value = "pdf";
      form.appendChild(format);
      form.submit();
    };
    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      if (!submitter || submitter.value !== "pdf") { return; }
      event.preventDefault();
      var data = new FormData(form);
      data.set("format", "pdf");
      setBusy(true);
      status.textContent = form.getAttribute("data-making");
      fetch(form.action, { method: "POST", body: data, credentials: "same-origin" })
        .then(function (response) {
          var type = response.headers.get("Content-Type") || "";
          if (!response.ok || type.indexOf("application/pdf") !== 0) {
            setBusy(false);
            status.textContent = "";
            submitPlainly();
            return null;
          }
          return response.blob().then(function (blob) {
            var url = URL.createObjectURL(blob);
            var link = document.createElement("a");
            link.href = url;
            link.download = filename(response);
            link.hidden = true;
            document.body.appendChild(link);
            link.click();
            link.remove();
            window.setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
            setBusy(false);
            status.textContent = form.getAttribute("data-ready");
          });
        })
        .catch(function () {
          setBusy(false);
          status.textContent = form.getAttribute("data-failed");
        });
    });
  }
  // The print page: a Print button (without JavaScript, the browser's own menu prints).
  var printButton = document.querySelector("[data-print]");
  if (printButton) {
    printButton.hidden = false;
    printButton.addEventListener("click", function () { window.print(); });
  }
})();
