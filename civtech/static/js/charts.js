// Bar charts drawn from JSON data blocks (no inline script: CSP). Each chart has a data table beside it
// carrying the same figures, so the canvas is decoration for those who can see it.
/* global Chart */
document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
  const source = document.getElementById(canvas.dataset.chart);
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const colours = ["#0065bd", "#5e8219", "#b3d7ee", "#8f9b2d"];
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: data.series.map((series, i) => ({ ...series, backgroundColor: colours[i % colours.length] })),
    },
    options: { responsive: true, animation: false, plugins: { legend: { position: "bottom" } } },
  });
});
