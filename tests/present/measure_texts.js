// Problems of the texts in every div.chart of the page, as Chromium draws them (shared by tests/present/test_layout.py
// and tests/browser/test_chart_layout.py). minFont: the smallest computed font size allowed (0: not checked).
(minFont) => {
  const problems = [];
  const shown = (element, root) => {
    for (let e = element; e && e !== root; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (style.display === 'none' || style.visibility === 'hidden' || parseFloat(style.opacity) === 0) return false;
    }
    return true;
  };
  // The box a text is drawn in: plotly clips traces (bar and point labels among them) to the plot area with a
  // clip-path on an ancestor, in that ancestor's user space; a text beyond it is cut although inside the canvas.
  const clipBox = (element, root) => {
    for (let e = element; e && e !== root; e = e.parentElement) {
      const id = (e.getAttribute('clip-path') || '').match(/url\(['"]?#([^'")]+)['"]?\)/);
      const rect = id && root.querySelector(`[id="${id[1]}"] rect`);  // its own: several charts share a page
      if (!rect) continue;
      const matrix = e.getScreenCTM();
      const [x, y, width, height] = ['x', 'y', 'width', 'height'].map((a) => rect[a].baseVal.value);
      const corners = [[x, y], [x + width, y + height]].map(([px, py]) => new DOMPoint(px, py).matrixTransform(matrix));
      return {left: Math.min(corners[0].x, corners[1].x), right: Math.max(corners[0].x, corners[1].x),
        top: Math.min(corners[0].y, corners[1].y), bottom: Math.max(corners[0].y, corners[1].y)};
    }
    return null;
  };
  for (const chart of document.querySelectorAll('.chart')) {
    const name = chart.dataset.name;
    const svg = chart.querySelector('svg');
    const canvas = svg.getBoundingClientRect();
    const texts = [];
    for (const text of chart.querySelectorAll('text')) {
      const box = text.getBoundingClientRect();
      if (!text.textContent.trim() || box.width === 0 || box.height === 0 || !shown(text, chart)) continue;
      texts.push({text: text.textContent.slice(0, 60), box});
      if (box.left < canvas.left - 0.5 || box.top < canvas.top - 0.5 || box.right > canvas.right + 0.5
          || box.bottom > canvas.bottom + 0.5) {
        problems.push(`${name}: outside the canvas: ${text.textContent.slice(0, 60)}`);
      }
      // vertically its glyphs (the middle 80 % of the box, as for lines below): the box holds room above them
      const clip = clipBox(text, chart);
      if (clip && (box.left < clip.left - 0.5 || box.right > clip.right + 0.5
          || box.top + box.height * 0.2 < clip.top - 0.5 || box.bottom - box.height * 0.2 > clip.bottom + 0.5)) {
        problems.push(`${name}: cut by the plot area: ${text.textContent.slice(0, 60)}`);
      }
      if (minFont) {
        for (const part of [text, ...text.querySelectorAll('tspan')]) {
          const size = parseFloat(getComputedStyle(part).fontSize);
          if (part.textContent.trim() && size < minFont - 0.01) {
            problems.push(`${name}: ${size}px: ${part.textContent.slice(0, 60)}`);
            break;
          }
        }
      }
    }
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        const a = texts[i].box, b = texts[j].box;
        const width = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const height = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (width > 1 && height > 1) problems.push(`${name}: overlap: "${texts[i].text}" / "${texts[j].text}"`);
      }
    }
    // Lines of the chart (trace lines, shapes such as band edges and the Baik line): none may cross a text's
    // inner box (its middle 80 %, as the glyphs are drawn; the box holds space above and below them).
    const lines = [...chart.querySelectorAll('path.js-line, .shapelayer path')].filter(
      (path) => shown(path, chart) && getComputedStyle(path).stroke !== 'none'
        && parseFloat(getComputedStyle(path).strokeWidth) > 0).map((path) => ({path, box: path.getBoundingClientRect()}));
    for (const {text, box} of texts) {
      const inner = {left: box.left + 1, right: box.right - 1, top: box.top + box.height * 0.2,
        bottom: box.bottom - box.height * 0.2};
      for (const {path, box: reach} of lines) {
        if (reach.right < inner.left - 3 || reach.left > inner.right + 3 || reach.bottom < inner.top - 3
            || reach.top > inner.bottom + 3) continue;  // cannot cross: the costly test only where it may
        const matrix = path.getScreenCTM().inverse();
        let crossed = false;
        for (let x = inner.left; x <= inner.right && !crossed; x += 2) {
          for (let y = inner.top; y <= inner.bottom && !crossed; y += 2) {
            const point = new DOMPoint(x, y).matrixTransform(matrix);
            crossed = path.isPointInStroke(point);
          }
        }
        if (crossed) {
          problems.push(`${name}: text on a line: ${text}`);
          break;
        }
      }
    }
  }
  return problems;
}
