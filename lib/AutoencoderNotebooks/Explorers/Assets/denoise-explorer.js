// Draw and denoise (chapter 4): a 28×28 canvas the learner draws on (mouse, finger, or keyboard), Gaussian noise and
// dropout applied in the page with a fixed seeded draw, and the reconstructions of a plain autoencoder and a denoiser
// side by side, computed with CourseDense from the weights the run trained. State in element.courseExplorer: drawing
// (the clean image, 784 values), input (the corrupted image both models receive), outputs {plain, denoiser},
// latencies (ms from each pointer event's time stamp to the redrawn images) and work (ms spent in the handler).
(function (root) {
  'use strict';
  root.CourseExplorers = root.CourseExplorers || {};
  if (root.CourseExplorers.denoise) return;

  function denoise(element, data) {
    const dense = root.CourseDense;
    const plain = dense.network(data.plain);
    const denoiser = dense.network(data.denoiser);
    const tests = dense.bytes(data.testImages);
    const testCount = tests.length / 784;
    const find = name => element.querySelector('.course-explorer-' + name);
    const pad = find('pad'), noisyCanvas = find('input'), plainCanvas = find('plain'), denoiserCanvas = find('denoiser');
    const sigmaSlider = find('sigma'), dropSlider = find('drop'), readout = find('readout');

    const drawing = new Float32Array(784);
    const state = { drawing, input: null, outputs: null, latencies: [], work: [], sigma: 0, drop: 0, testIndex: -1 };
    element.courseExplorer = state;

    // One fixed draw of noise per seed: a standard normal value and a uniform one per pixel (Box-Muller), so the noise
    // does not flicker while the learner draws; "New noise" draws the next seed's.
    let gaussian, uniform, seed = data.seed;
    function drawNoise() {
      const next = dense.uniform(seed++);
      gaussian = new Float32Array(784); uniform = new Float32Array(784);
      for (let i = 0; i < 784; i++) {
        const u1 = 1 - next(), u2 = next();
        gaussian[i] = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        uniform[i] = next();
      }
    }

    // x + σε, then dropout at rate p with the survivors scaled by 1/(1 − p): the two corruptions the chapter trains with.
    function corrupt() {
      const input = new Float32Array(784), keep = 1 - state.drop;
      for (let i = 0; i < 784; i++) {
        const noisy = drawing[i] + state.sigma * gaussian[i];
        input[i] = uniform[i] < state.drop ? 0 : noisy / keep;
      }
      return input;
    }

    const mse = (a, b) => { let s = 0; for (let i = 0; i < 784; i++) s += (a[i] - b[i]) ** 2; return s / 784; };

    function update(event, started) {
      state.input = corrupt();
      state.outputs = { plain: plain.forward(state.input), denoiser: denoiser.forward(state.input) };
      dense.paint(pad, drawing, 28, 28);
      dense.paint(noisyCanvas, state.input, 28, 28);
      dense.paint(plainCanvas, state.outputs.plain, 28, 28);
      dense.paint(denoiserCanvas, state.outputs.denoiser, 28, 28);
      drawCursor();
      if (event) {
        const now = performance.now();
        state.latencies.push(now - event.timeStamp);
        state.work.push(now - started);
      }
    }

    function describe() {
      let ink = 0;
      for (let i = 0; i < 784; i++) ink += drawing[i];
      const where = state.testIndex >= 0 ? 'Test image ' + (state.testIndex + 1) + ' of ' + testCount + '. ' : '';
      const pen = focused ? 'Pen ' + (penDown ? 'down' : 'up') + ' at column ' + (Math.floor(cursor[0]) + 1) + ', row ' + (Math.floor(cursor[1]) + 1) + '. ' : '';
      readout.textContent = pen + where + (ink < 1
        ? 'The pad is empty: draw on it, or press Next test image.'
        : 'Noise σ = ' + state.sigma.toFixed(2) + ', dropout ' + Math.round(100 * state.drop) + '%. Mean squared error against your clean drawing: plain autoencoder '
          + mse(state.outputs.plain, drawing).toFixed(4) + ', denoiser ' + mse(state.outputs.denoiser, drawing).toFixed(4) + '.');
    }

    // A soft round brush, 28-pixel units: full ink within 0.6 of the stroke, fading to none at 1.6.
    function ink(x, y) {
      for (let r = Math.max(0, Math.floor(y - 2)); r <= Math.min(27, Math.ceil(y + 2)); r++)
        for (let c = Math.max(0, Math.floor(x - 2)); c <= Math.min(27, Math.ceil(x + 2)); c++) {
          const d = Math.hypot(c + 0.5 - x, r + 0.5 - y);
          const v = Math.min(1, Math.max(0, 1.6 - d));
          if (v > drawing[28 * r + c]) drawing[28 * r + c] = v;
        }
    }
    function stroke(from, to) {
      const steps = Math.max(1, Math.ceil(Math.hypot(to[0] - from[0], to[1] - from[1]) / 0.25));
      for (let s = 0; s <= steps; s++) ink(from[0] + (to[0] - from[0]) * s / steps, from[1] + (to[1] - from[1]) * s / steps);
    }

    const padPoint = event => {
      const box = pad.getBoundingClientRect();
      return [(event.clientX - box.left) / box.width * 28, (event.clientY - box.top) / box.height * 28];
    };
    let last = null;
    pad.addEventListener('pointerdown', e => {
      const started = performance.now();
      pad.setPointerCapture(e.pointerId); last = padPoint(e); stroke(last, last); state.testIndex = -1; update(e, started);
    });
    pad.addEventListener('pointermove', e => {
      if (!last) return;
      const started = performance.now(), p = padPoint(e);
      stroke(last, p); last = p; update(e, started);
    });
    pad.addEventListener('pointerup', e => { last = null; pad.releasePointerCapture(e.pointerId); describe(); });
    pad.addEventListener('pointercancel', () => { last = null; describe(); });
    pad.addEventListener('lostpointercapture', () => { last = null; });

    // Keyboard drawing: the arrow keys move a cursor, Space lifts or lowers the pen; with the pen down, moves draw.
    let cursor = [13.5, 13.5], penDown = false, focused = false; // a pixel's centre
    function drawCursor() {
      if (!focused) return;
      const context = pad.getContext('2d');
      context.strokeStyle = penDown ? '#d62728' : '#1f77b4';
      context.lineWidth = 0.25;
      context.strokeRect(Math.floor(cursor[0]) + 0.08, Math.floor(cursor[1]) + 0.08, 0.84, 0.84);
    }
    pad.addEventListener('focus', () => { focused = pad.matches(':focus-visible'); update(null); }); // a keyboard's focus shows the cursor, a click's does not
    pad.addEventListener('blur', () => { focused = false; update(null); });
    pad.addEventListener('keydown', e => {
      const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
      if (moves[e.key]) {
        const next = [Math.min(27.5, Math.max(0.5, cursor[0] + moves[e.key][0])), Math.min(27.5, Math.max(0.5, cursor[1] + moves[e.key][1]))];
        if (penDown) stroke(cursor, next);
        cursor = next;
      } else if (e.key === ' ' || e.key === 'Enter') {
        penDown = !penDown;
        if (penDown) stroke(cursor, cursor);
      } else return;
      e.preventDefault();
      update(null);
      describe();
    });

    function clear() { drawing.fill(0); state.testIndex = -1; update(null); describe(); }
    function loadTest() {
      state.testIndex = (state.testIndex + 1) % testCount;
      for (let i = 0; i < 784; i++) drawing[i] = tests[784 * state.testIndex + i] / 255;
      update(null); describe();
    }
    find('clear').addEventListener('click', clear);
    find('load').addEventListener('click', loadTest);
    find('reseed').addEventListener('click', () => { drawNoise(); update(null); describe(); });
    function slide() {
      state.sigma = Number(sigmaSlider.value); state.drop = Number(dropSlider.value);
      find('sigma-value').textContent = state.sigma.toFixed(2);
      find('drop-value').textContent = Math.round(100 * state.drop) + '%';
      dropSlider.setAttribute('aria-valuetext', Math.round(100 * state.drop) + '%');
      update(null); describe();
    }
    sigmaSlider.addEventListener('input', slide);
    dropSlider.addEventListener('input', slide);

    drawNoise();
    state.sigma = Number(sigmaSlider.value); state.drop = Number(dropSlider.value);
    loadTest();
    slide();
  }

  root.CourseExplorers.denoise = denoise;
})(window);
