// Dense layers and activations for the course's explorers (chapters 4 and 6): y = f(W x + b), W stored row-major as
// [outputs × inputs], as TorchSharp's Linear keeps it. Weights arrive as base64 little-endian float32, so the page
// computes with exactly the trained values; sums run in double precision and land in float32 (the library's float32
// sums differ from them by rounding only).
// Written once, shared by every explorer on a page: a second copy finds window.CourseDense and stops.
(function (root) {
  'use strict';
  if (root.CourseDense) return;

  // SELU's constants (Klambauer et al., 2017), as torch.nn.functional.selu uses them.
  const seluAlpha = 1.6732632423543772848170429916717;
  const seluScale = 1.0507009873554804934193349852946;

  const activations = {
    identity: v => v,
    relu: v => (v > 0 ? v : 0),
    selu: v => seluScale * (v > 0 ? v : seluAlpha * Math.expm1(v)),
    tanh: v => Math.tanh(v),
    sigmoid: v => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v))),
    clamp01: v => (v < 0 ? 0 : v > 1 ? 1 : v),
  };

  /** Base64 as a Uint8Array (labels, 8-bit images). */
  function bytes(base64) {
    const text = atob(base64);
    const values = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) values[i] = text.charCodeAt(i);
    return values;
  }

  /** Base64 little-endian float32 values as a Float32Array. */
  function floats(base64) {
    const values = bytes(base64);
    if (values.length % 4 !== 0) throw new Error('CourseDense: ' + values.length + ' bytes is not a whole number of float32 values');
    return new Float32Array(values.buffer);
  }

  /** One layer from its description: {inputs, outputs, weight, bias (base64), activation (a name above)}. */
  function layer(spec) {
    const weight = floats(spec.weight), bias = floats(spec.bias), activation = activations[spec.activation];
    if (!activation) throw new Error('CourseDense: unknown activation "' + spec.activation + '"');
    if (weight.length !== spec.inputs * spec.outputs || bias.length !== spec.outputs)
      throw new Error('CourseDense: a ' + spec.inputs + '→' + spec.outputs + ' layer got ' + weight.length + ' weights and ' + bias.length + ' biases');
    const inputs = spec.inputs, outputs = spec.outputs;
    return {
      inputs, outputs, activation: spec.activation,
      /** f(W x + b) for one input vector. */
      forward(x) {
        if (x.length !== inputs) throw new Error('CourseDense: a ' + inputs + '-input layer got ' + x.length + ' values');
        const y = new Float32Array(outputs);
        for (let o = 0, row = 0; o < outputs; o++, row += inputs) {
          let sum = bias[o];
          for (let i = 0; i < inputs; i++) sum += weight[row + i] * x[i];
          y[o] = activation(sum);
        }
        return y;
      },
    };
  }

  /** A chain of layers: forward(x) runs x through each in order. */
  function network(specs) {
    const layers = specs.map(layer);
    for (let i = 1; i < layers.length; i++)
      if (layers[i].inputs !== layers[i - 1].outputs)
        throw new Error('CourseDense: layer ' + i + ' expects ' + layers[i].inputs + ' inputs but layer ' + (i - 1) + ' gives ' + layers[i - 1].outputs);
    return {
      layers,
      inputs: layers[0].inputs,
      outputs: layers[layers.length - 1].outputs,
      forward(x) { return layers.reduce((h, l) => l.forward(h), x); },
    };
  }

  /** A seeded uniform generator on [0, 1) (mulberry32), so a page's noise is the same on every redraw. */
  function uniform(seed) {
    let a = seed >>> 0;
    return function () {
      a = (a + 0x6D2B79F5) >>> 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  /** Draws grey values in [0, 1] (28×28 row-major, or any size) onto a canvas of that many pixels. */
  function paint(canvas, pixels, width, height) {
    const context = canvas.getContext('2d');
    const image = context.createImageData(width, height);
    for (let i = 0; i < width * height; i++) {
      const v = pixels[i], g = Math.round(255 * (v < 0 ? 0 : v > 1 ? 1 : v));
      image.data[4 * i] = image.data[4 * i + 1] = image.data[4 * i + 2] = 255 - g; // dark ink on white, as the course's grids
      image.data[4 * i + 3] = 255;
    }
    context.putImageData(image, 0, 0);
  }

  root.CourseDense = { activations, bytes, floats, layer, network, uniform, paint };
})(window);
