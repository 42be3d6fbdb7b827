// JoinedUp's only script: starts the NHS.UK components and draws Vega-Lite charts from data attributes.
// No inline scripts anywhere, and charts use Vega's expression interpreter (no eval), so a strict
// Content-Security-Policy (no 'unsafe-inline', no 'unsafe-eval') holds.
import { initAll } from "../vendor/nhsuk/nhsuk-frontend.min.js";

async function drawCharts(root) {
  const charts = root.querySelectorAll("[data-vega-spec]:not([data-vega-drawn])");
  if (!charts.length || typeof window.vegaEmbed !== "function") return;
  const { expressionInterpreter } = await import("../vendor/vega/vega-interpreter.js");
  for (const el of charts) {
    el.dataset.vegaDrawn = "1";
    const spec = JSON.parse(el.dataset.vegaSpec);
    const label = el.getAttribute("aria-label");
    try {
      // defaultStyle/disableDefaultStyle: vega-embed and vega-tooltip would otherwise insert <style>
      // elements, which the CSP refuses; their styles are in joinedup.css instead.
      await window.vegaEmbed(el, spec, {
        actions: false, renderer: "svg", ast: true, expr: expressionInterpreter, defaultStyle: false,
        tooltip: { disableDefaultStyle: true },
      });
      // The chart is a picture of the table beside it: keep the tag's label, hide the SVG internals.
      el.setAttribute("role", "img");
      if (label) el.setAttribute("aria-label", label);
      const svg = el.querySelector("svg");
      if (svg) svg.setAttribute("aria-hidden", "true");
      el.dataset.vegaReady = "1";
    } catch (err) {
      el.textContent = "The chart could not be drawn; the table on this page has the same figures.";
      console.error(err);
    }
  }
}

// "Copy" buttons beside a read-only field (<button data-copy="FIELD-ID" hidden>): shown only where the
// clipboard can be written, so without JavaScript the field is there to select and copy by hand.
function copyButtons(root) {
  if (!navigator.clipboard) return;
  for (const button of root.querySelectorAll("[data-copy]")) {
    const field = document.getElementById(button.dataset.copy);
    const status = root.querySelector(`[data-copy-status="${button.dataset.copy}"]`);
    if (!field) continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(field.value);
        if (status) status.textContent = "Copied.";
      } catch (err) {
        field.select();
        if (status) status.textContent = "Could not copy: it is selected, press Ctrl+C (or Cmd+C) to copy it.";
      }
    });
  }
}

initAll();
copyButtons(document);
drawCharts(document);
document.body.addEventListener("htmx:afterSwap", (event) => drawCharts(event.target));
