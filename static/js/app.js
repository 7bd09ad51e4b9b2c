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
  // When red-flag guidance appears (or changes), move the reader to it at once.
  // Every tap's answer carries the banner along; the same guidance again does not
  // pull the reader away from the item they are rating.
  function bannerText() {
    var banner = document.getElementById("red-flag-banner");
    return banner ? banner.textContent.trim() : "";
  }
  var shownBanner = bannerText();
  function bannerSwapped(event) {
    var target = event.detail && event.detail.target;
    if (!target || target.id !== "red-flag-banner") { return; }
    var banner = document.getElementById("red-flag-banner");
    var text = bannerText();
    // A tap that itself raised serious guidance always moves the reader to it (data-focus).
    var fresh = event.type === "htmx:oobAfterSwap" && banner && banner.querySelector("[data-focus]");
    if (!banner || (text === shownBanner && !fresh)) { return; }
    shownBanner = text;
    if (!banner.firstElementChild) { return; }
    banner.scrollIntoView({ block: "start" });
    var heading = banner.querySelector("h2");
    if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus({ preventScroll: true }); }
  }
  // Taps on Today send the banner out of band; event and dose forms ask for it directly.
  document.body.addEventListener("htmx:oobAfterSwap", bannerSwapped);
  document.body.addEventListener("htmx:afterSwap", bannerSwapped);
})();
// Rest timer: show the minutes since the rest started; the page says "since 14:05" without it.
(function () {
  "use strict";
  var timer = document.querySelector(".timer[data-started]");
  if (!timer) { return; }
  var started = new Date(timer.getAttribute("data-started"));
  var out = timer.querySelector(".elapsed");
  function tick() {
    var minutes = Math.max(0, Math.floor((Date.now() - started.getTime()) / 60000));
    out.textContent = "(" + minutes + " min)";
  }
  tick();
  window.setInterval(tick, 30000);
})();
// A tap that did not reach the diary must say so, and the buttons go back to
// what is saved (so the same button can simply be tapped again).
(function () {
  "use strict";
  function remember(elt) {
    var saved = {};
    elt.querySelectorAll("input[type=radio]:checked").forEach(function (radio) { saved[radio.name] = radio.value; });
    elt.savedAnswers = saved;
  }
  function rememberAll(root) {
    if (root.matches && root.matches("[hx-post]")) { remember(root); }
    if (root.querySelectorAll) { root.querySelectorAll("[hx-post]").forEach(remember); }
  }
  rememberAll(document);
  document.body.addEventListener("htmx:load", function (event) { rememberAll(event.detail.elt); });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful && event.detail.elt && event.detail.elt.isConnected) { remember(event.detail.elt); }
  });
  function notSaved(event) {
    var elt = event.detail && event.detail.elt;
    if (elt && elt.savedAnswers) {
      elt.querySelectorAll("input[type=radio]").forEach(function (radio) {
        radio.checked = elt.savedAnswers[radio.name] === radio.value;
      });
    }
    var target = event.detail && event.detail.target;
    if (!target) { return; }
    var status = target.classList.contains("status") ? target : target.querySelector(".status");
    if (!status) { return; }
    var message = document.createElement("span");
    message.className = "error";
    message.textContent = document.body.getAttribute("data-not-saved");
    status.replaceChildren(message);
  }
  document.body.addEventListener("htmx:sendError", notSaved);
  document.body.addEventListener("htmx:responseError", notSaved);
})();
