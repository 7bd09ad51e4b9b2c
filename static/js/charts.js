// Trends: draw each chart from the figure JSON the server put beside it
// (<script type="application/json">, not run as code, so the CSP allows it).
// Charts are drawn as they come near the screen, and again after htmx swaps in
// a new period. The numbers are also in a table under every chart.
(function () {
  "use strict";
  var CONFIG = {
    displayModeBar: false, // no toolbar: nothing to learn, nothing to mis-tap
    scrollZoom: false,
    doubleClick: false,
    showTips: false,
    responsive: true // follow the phone's width when it turns
  };
  var observer = null;

  // The symptom charts share one set of treatment and medicine marks, sent once beside the
  // section (layout.meta.markers names it): each chart adds them along the top of its own scale.
  function addSharedMarks(figure) {
    var meta = figure.layout && figure.layout.meta;
    var source = meta && meta.markers && document.getElementById(meta.markers);
    if (!source) { return; }
    var shared = JSON.parse(source.textContent);
    var top = figure.layout.yaxis.range[1];
    shared.data.forEach(function (trace) {
      trace.y = trace.x.map(function () { return top; });
    });
    figure.data = figure.data.concat(shared.data);
    figure.layout.shapes = (figure.layout.shapes || []).concat(shared.shapes);
  }

  function draw(chart) {
    if (chart.getAttribute("data-drawn") || !window.Plotly) { return; }
    var source = document.getElementById(chart.getAttribute("data-figure"));
    if (!source) { return; }
    var figure = JSON.parse(source.textContent);
    addSharedMarks(figure);
    chart.setAttribute("data-drawn", "true");
    chart.replaceChildren();
    window.Plotly.newPlot(chart, figure.data, figure.layout, CONFIG);
  }

  function drawIn(root) {
    var charts = root.querySelectorAll("[data-figure]:not([data-drawn])");
    if (!("IntersectionObserver" in window)) {
      charts.forEach(draw);
      return;
    }
    if (!observer) {
      observer = new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          if (entry.isIntersecting) {
            observer.unobserve(entry.target);
            draw(entry.target);
          }
        });
      }, { rootMargin: "400px 0px" });
    }
    charts.forEach(function (chart) { observer.observe(chart); });
  }

  // Free plotly's listeners before htmx throws the old charts away.
  function purgeIn(root) {
    if (!root || !window.Plotly) { return; }
    root.querySelectorAll("[data-drawn]").forEach(function (chart) {
      if (observer) { observer.unobserve(chart); }
      window.Plotly.purge(chart);
    });
  }

  // A keyboard or screen-reader user who chose a period stays where they were:
  // on the new period's button, or on the message that says what was wrong.
  var hadFocus = false;
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail && event.detail.target;
    hadFocus = !!(target && target.id === "trends" && target.contains(document.activeElement));
    purgeIn(target);
  });
  document.body.addEventListener("htmx:afterSettle", function () {
    if (!hadFocus) { return; }
    hadFocus = false;
    var next = document.querySelector("#trends .message.error") ||
      document.querySelector("#trends .periods [aria-current=page]");
    if (next) {
      if (!next.hasAttribute("href")) { next.setAttribute("tabindex", "-1"); }
      next.focus();
    }
  });
  document.body.addEventListener("htmx:load", function (event) {
    drawIn(event.detail && event.detail.elt ? event.detail.elt : document);
  });
  document.body.addEventListener("htmx:historyRestore", function () { drawIn(document); });
  drawIn(document);
})();
