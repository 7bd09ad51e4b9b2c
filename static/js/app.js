// A few lines of our own. Everything works without them.
(function () {
  "use strict";
  // New diary: preselect the phone's own time zone if the person has not chosen one.
  var zone = document.querySelector("select[data-guess-zone]");
  if (zone && window.Intl) {
    var guess = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (guess && zone.value === "UTC" && zone.querySelector('option[value="' + guess + '"]')) {
      zone.value = guess;
    }
  }
  // Once htmx saves each tap, the "save all" button is only a fallback.
  document.documentElement.classList.add("js");
  // When a red-flag banner appears, move the reader to it at once.
  document.body.addEventListener("htmx:oobAfterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (target && target.id === "red-flag-banner" && target.firstElementChild) {
      target.scrollIntoView({ block: "start" });
      var heading = target.querySelector("h2");
      if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
    }
  });
})();
