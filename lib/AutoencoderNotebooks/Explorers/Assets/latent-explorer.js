// The latent explorer (chapter 6): the test set's codings as a scatter coloured by class, a pointer the learner drags
// (or moves with the arrow keys) across the plane, and the decoder's image under it, computed in the page with
// CourseDense from the weights the run trained. The element keeps its state in element.courseExplorer:
// code (the coding under the pointer), pixels (the decoded image, 784 values), latencies (ms from each pointer event's
// time stamp to its redrawn image: the wait for the browser's next frame included) and work (ms spent in the handler),
// so a browser test can check the page against the library.
(function (root) {
  'use strict';
  root.CourseExplorers = root.CourseExplorers || {};
  if (root.CourseExplorers.latent) return;

  function latent(element, data) {
    const dense = root.CourseDense;
    const colours = data.colours;
    const decoder = dense.network(data.decoder);
    const codes = dense.floats(data.codes);
    const labels = dense.bytes(data.labels);
    const [xMin, xMax, yMin, yMax] = data.bounds;
    const map = element.querySelector('canvas.course-explorer-map');
    const overlay = element.querySelector('canvas.course-explorer-pointer');
    const decoded = element.querySelector('canvas.course-explorer-decoded');
    const readout = element.querySelector('.course-explorer-readout');
    const coordinates = element.querySelector('.course-explorer-coordinates');
    const size = map.width;

    const toCanvas = (z1, z2) => [(z1 - xMin) / (xMax - xMin) * size, (yMax - z2) / (yMax - yMin) * size];
    const toCode = (x, y) => [xMin + x / size * (xMax - xMin), yMax - y / size * (yMax - yMin)];

    // The scatter, drawn once: axes at integer codings, then every test coding as a dot of its class's colour.
    const context = map.getContext('2d');
    context.fillStyle = '#fff';
    context.fillRect(0, 0, size, size);
    context.strokeStyle = '#e4e4e4';
    context.fillStyle = '#555';
    context.font = '10px sans-serif';
    for (let v = Math.ceil(xMin); v <= xMax; v++) {
      const [x] = toCanvas(v, 0);
      context.beginPath(); context.moveTo(x, 0); context.lineTo(x, size); context.stroke();
      context.fillText(String(v), x + 2, size - 3);
    }
    for (let v = Math.ceil(yMin); v <= yMax; v++) {
      const [, y] = toCanvas(0, v);
      context.beginPath(); context.moveTo(0, y); context.lineTo(size, y); context.stroke();
      context.fillText(String(v), 2, y - 2);
    }
    context.globalAlpha = 0.55;
    for (let i = 0; i < labels.length; i++) {
      const [x, y] = toCanvas(codes[2 * i], codes[2 * i + 1]);
      context.fillStyle = colours[labels[i] % colours.length];
      context.fillRect(x - 1, y - 1, 2.2, 2.2);
    }
    context.globalAlpha = 1;

    const state = { code: [0, 0], pixels: null, latencies: [], work: [], nearest: '' };
    element.courseExplorer = state;

    // The class most of the 25 nearest test codings belong to: what the text description says is under the pointer.
    function nearestClass(z1, z2) {
      const best = [];
      for (let i = 0; i < labels.length; i++) {
        const d = (codes[2 * i] - z1) ** 2 + (codes[2 * i + 1] - z2) ** 2;
        if (best.length < 25 || d < best[best.length - 1][0]) {
          best.push([d, labels[i]]);
          best.sort((a, b) => a[0] - b[0]);
          if (best.length > 25) best.pop();
        }
      }
      const votes = new Map();
      for (const [, label] of best) votes.set(label, (votes.get(label) || 0) + 1);
      let top = 0, count = -1;
      for (const [label, n] of votes) if (n > count) [top, count] = [label, n];
      return { name: data.classNames[top], share: count / best.length };
    }

    function describe() {
      const near = nearestClass(state.code[0], state.code[1]);
      state.nearest = near.name;
      readout.textContent = 'Coding (' + state.code[0].toFixed(2) + ', ' + state.code[1].toFixed(2) + '): the decoder draws the image on the right; '
        + Math.round(100 * near.share) + '% of the 25 nearest test codings are ' + near.name + '.';
    }

    // Decode the coding, draw it and the pointer; with an event, record how long the page took since it fired.
    function show(z1, z2, event, speak) {
      const started = performance.now();
      state.code = [z1, z2];
      coordinates.textContent = 'z = (' + z1.toFixed(2) + ', ' + z2.toFixed(2) + ')';
      state.pixels = decoder.forward(Float32Array.of(z1, z2));
      dense.paint(decoded, state.pixels, 28, 28);
      const pointer = overlay.getContext('2d');
      pointer.clearRect(0, 0, size, size);
      const [x, y] = toCanvas(z1, z2);
      pointer.strokeStyle = '#000'; pointer.lineWidth = 2;
      pointer.beginPath(); pointer.arc(x, y, 7, 0, 2 * Math.PI); pointer.stroke();
      pointer.strokeStyle = '#fff'; pointer.lineWidth = 1;
      pointer.beginPath(); pointer.arc(x, y, 5.5, 0, 2 * Math.PI); pointer.stroke();
      if (event) {
        const now = performance.now();
        state.latencies.push(now - event.timeStamp);
        state.work.push(now - started);
      }
      if (speak) describe();
    }

    function fromPointer(event) {
      const box = overlay.getBoundingClientRect();
      const x = Math.min(Math.max((event.clientX - box.left) / box.width * size, 0), size);
      const y = Math.min(Math.max((event.clientY - box.top) / box.height * size, 0), size);
      const [z1, z2] = toCode(x, y);
      show(z1, z2, event, false);
    }

    let dragging = false;
    overlay.addEventListener('pointerdown', e => { dragging = true; overlay.setPointerCapture(e.pointerId); fromPointer(e); });
    overlay.addEventListener('pointermove', e => { if (dragging || e.pointerType === 'mouse') fromPointer(e); });
    overlay.addEventListener('pointerup', e => { dragging = false; overlay.releasePointerCapture(e.pointerId); describe(); });
    overlay.addEventListener('pointercancel', () => { dragging = false; describe(); });
    overlay.addEventListener('lostpointercapture', () => { dragging = false; });
    overlay.addEventListener('pointerleave', () => { if (!dragging) describe(); });
    overlay.addEventListener('keydown', e => {
      const share = e.shiftKey ? 0.1 : 0.02, across = share * (xMax - xMin), up = share * (yMax - yMin);
      const moves = { ArrowLeft: [-across, 0], ArrowRight: [across, 0], ArrowUp: [0, up], ArrowDown: [0, -up] };
      let [z1, z2] = state.code;
      if (moves[e.key]) [z1, z2] = [z1 + moves[e.key][0], z2 + moves[e.key][1]];
      else if (e.key === 'Home') [z1, z2] = [0, 0];
      else return;
      e.preventDefault();
      show(Math.min(Math.max(z1, xMin), xMax), Math.min(Math.max(z2, yMin), yMax), null, true);
    });

    state.show = (z1, z2) => show(z1, z2, null, true);
    show(0, 0, null, true);
  }

  root.CourseExplorers.latent = latent;
})(window);
