// fer4j page: send a photo or webcam frames to /api/v1/emotions and draw boxes and emotion bars.
"use strict";
const COLORS = {Angry: "#D55E00", Disgust: "#009E73", Fear: "#CC79A7", Happy: "#E69F00", Sad: "#0072B2",
  Surprise: "#56B4E9", Neutral: "#999999"};
const view = document.getElementById("view");
const ctx = view.getContext("2d");
const statusLine = document.getElementById("status");
const facesList = document.getElementById("faces");
const video = document.getElementById("video");
let stream = null;
let smoothed = [];   // webcam faces with probabilities averaged over frames

fetch("api/v1/models").then(r => r.json()).then(m => {
  const model = m.models[0];
  const acc = model.metrics && model.metrics.PublicTest ? `, PublicTest accuracy ${model.metrics.PublicTest.accuracy.toFixed(3)}` : "";
  document.getElementById("model").textContent = `model: ${model.name} (${model.kind}${acc}), detector ${model.detector}`;
}).catch(() => { document.getElementById("model").textContent = "model: unavailable"; });

// The webcam's frames carry this page's stream id, so the server searches each frame near the last one's faces first.
const STREAM = Array.from({length: 16}, () => "0123456789abcdef"[Math.floor(Math.random() * 16)]).join("");

async function recognize(blob, stream, explain) {
  const started = performance.now();
  const headers = {"Content-Type": blob.type || "image/jpeg"};
  if (stream) headers["X-Fer-Stream"] = stream;
  const response = await fetch(explain ? "api/v1/emotions?explain=true" : "api/v1/emotions", {method: "POST", headers, body: blob});
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ? body.error.message : `HTTP ${response.status}`);
  body.roundTrip = performance.now() - started;
  return body;
}

// Where each face's label goes, as Annotator does it in Java: touching its box (above, below, or beside a corner) and
// covering no face box and no other label. A label with no room there goes to a strip under the photo, and its face
// keeps just its number ("#2", as in the list below the photo) at the box.
function placeLabels(boxes, labelWidths, tagWidths, labelHeight, width, height, gap) {
  const taken = [];
  const intersects = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  const grow = (r, m) => ({x: r.x - m, y: r.y - m, w: r.w + 2 * m, h: r.h + 2 * m});
  const free = (r, owner) => r.x >= 0 && r.y >= 0 && r.x + r.w <= width && r.y + r.h <= height
    && boxes.every((b, j) => !intersects(j === owner ? r : grow(r, gap), b))
    && taken.every(t => !intersects(grow(r, gap), t));
  const place = (owner, w) => {
    const b = boxes[owner], h = labelHeight;
    const inside = Math.max(0, Math.min(b.x, width - w));
    const spots = [];
    for (const y of [b.y - h, b.y + b.h]) for (const x of [b.x, b.x + b.w - w, inside]) spots.push({x, y, w, h});
    for (const y of [b.y, b.y + b.h - h]) spots.push({x: b.x + b.w, y, w, h}, {x: b.x - w, y, w, h});
    const spot = spots.find(r => free(r, owner));
    if (spot) taken.push(spot);
    return spot || null;
  };
  const labels = labelWidths.map((w, i) => place(i, w));
  const tags = labels.map((label, i) => label || tagWidths.length === 0 ? null : place(i, tagWidths[i]));
  // The strip: labels in rows under the photo, left to right.
  let x = gap, y = height + gap, stripHeight = 0;
  labels.forEach((label, i) => {
    if (label) return;
    if (x > gap && x + labelWidths[i] > width) { x = gap; y += labelHeight + gap; }
    labels[i] = {x, y, w: labelWidths[i], h: labelHeight};
    x += labelWidths[i] + gap;
    stripHeight = y + labelHeight + gap - height;
  });
  return {labels, tags, stripHeight};
}

function draw(image, result, faces) {
  const unit = Math.max(12, Math.round(Math.min(result.width, result.height) / 40));
  const pad = Math.max(2, Math.round(unit / 5));
  const gap = Math.max(3, Math.round(unit / 4));
  const numbered = faces.length > 1;
  ctx.font = `bold ${unit}px system-ui, sans-serif`;
  const texts = faces.map((face, i) => `${numbered ? `#${i + 1} ` : ""}${face.dominant} ${(100 * face.probabilities[face.dominant]).toFixed(0)}%`);
  const width = text => Math.ceil(ctx.measureText(text).width) + 2 * pad;
  const boxes = faces.map(f => {
    const x = Math.max(0, f.box.x), y = Math.max(0, f.box.y);
    return {x, y, w: Math.min(result.width, f.box.x + f.box.width) - x, h: Math.min(result.height, f.box.y + f.box.height) - y};
  });
  const layout = placeLabels(boxes, texts.map(width), numbered ? faces.map((f, i) => width(`#${i + 1}`)) : [],
    unit + 2 * pad, result.width, result.height, gap);
  view.width = result.width;
  view.height = result.height + layout.stripHeight;
  ctx.fillStyle = "#2b2b2b";
  ctx.fillRect(0, 0, view.width, view.height);
  ctx.drawImage(image, 0, 0, result.width, result.height);
  ctx.lineWidth = Math.max(2, Math.round(unit / 6));
  ctx.font = `bold ${unit}px system-ui, sans-serif`;
  ctx.textBaseline = "middle";
  faces.forEach((face, i) => {
    const b = boxes[i];
    const color = COLORS[face.dominant] || "white";
    const inset = ctx.lineWidth / 2;   // the outline lies inside the box, so a label can touch it without covering it
    ctx.strokeStyle = color;
    ctx.strokeRect(b.x + inset, b.y + inset, b.w - 2 * inset, b.h - 2 * inset);
    const label = (spot, text) => {
      ctx.fillStyle = color;
      ctx.fillRect(spot.x, spot.y, spot.w, spot.h);
      ctx.fillStyle = face.dominant === "Sad" ? "white" : "black";   // the one dark Okabe-Ito colour, as in Annotator
      ctx.fillText(text, spot.x + pad, spot.y + spot.h / 2);
    };
    label(layout.labels[i], texts[i]);
    if (layout.tags[i]) label(layout.tags[i], `#${i + 1}`);
  });
  facesList.replaceChildren(...faces.map((face, i) => {
    const item = document.createElement("li");
    item.className = "face";
    item.dataset.emotion = face.dominant;
    const found = face.detector ? `, ${face.detector}${face.confidence !== undefined ? ` ${(100 * face.confidence).toFixed(0)}%` : ""}` : "";
    item.innerHTML = `<b>${face.dominant}</b> (box ${face.box.x},${face.box.y} ${face.box.width}x${face.box.height}${found})`;
    for (const [emotion, p] of Object.entries(face.probabilities)) {
      const bar = document.createElement("div");
      bar.className = "bar";
      bar.innerHTML = `<span>${emotion}</span><div style="width:${(p * 200).toFixed(0)}px;background:${COLORS[emotion]}"></div>${(100 * p).toFixed(0)}%`;
      item.appendChild(bar);
    }
    if (face.explain) item.append(...whyMap(face.explain));
    return item;
  }));
  if (faces.length === 0) facesList.innerHTML = "<li>No face found.</li>";
}

// The "why" map: the crop the model saw, enlarged, with each cell tinted by how much hiding it lowers (red) or raises
// (blue) the probability of the answer, opaque at the largest change (at least 0.1), as OcclusionMap.render draws it.
function whyMap(explain) {
  const canvas = document.createElement("canvas");
  canvas.className = "why";
  canvas.width = canvas.height = 192;
  canvas.setAttribute("aria-label", `why ${explain.emotion}: the crop with the cells the answer rests on in red`);
  const crop = new Image();
  crop.onload = () => {
    const g = canvas.getContext("2d");
    g.imageSmoothingEnabled = true;
    g.drawImage(crop, 0, 0, 192, 192);
    const heat = document.createElement("canvas");
    heat.width = explain.cols;
    heat.height = explain.rows;
    const h = heat.getContext("2d");
    const top = Math.max(0.1, ...explain.drops.flat().map(Math.abs));
    explain.drops.forEach((row, r) => row.forEach((d, c) => {
      const a = Math.min(1, Math.abs(d) / top) * 200 / 255;
      h.fillStyle = d >= 0 ? `rgba(224,48,30,${a})` : `rgba(30,100,224,${a})`;
      h.fillRect(c, r, 1, 1);
    }));
    g.drawImage(heat, 0, 0, 192, 192);
  };
  crop.src = explain.crop;
  const note = document.createElement("div");
  note.className = "why-note";
  note.textContent = `Why ${explain.emotion}: red cells, when hidden, lower its probability (${(100 * explain.probability).toFixed(0)}%) the most.`;
  return [canvas, note];
}

async function showPhoto(file) {
  // The server reads photos only; a video goes through the command line, which tracks faces over time.
  if (file.type.startsWith("video/")) {
    statusLine.textContent = `${file.name} is a video: the page reads photos. Run "fer video ${file.name} --out results/" instead.`;
    return;
  }
  statusLine.textContent = "Reading…";
  try {
    const result = await recognize(file, null, document.getElementById("explain").checked);
    const image = await createImageBitmap(file, {imageOrientation: "from-image"});
    draw(image, result, result.faces);
    statusLine.textContent = `${result.faces.length} face(s), ${result.milliseconds.toFixed(0)} ms on the server, ${result.roundTrip.toFixed(0)} ms in all`;
  } catch (e) {
    statusLine.textContent = `Error: ${e.message}`;
  }
}

// Probabilities of a face are averaged with the face nearest to it in the previous frame (alpha 0.5).
function smooth(faces) {
  const next = faces.map(face => {
    const cx = face.box.x + face.box.width / 2, cy = face.box.y + face.box.height / 2;
    let best = null, bestDistance = Infinity;
    for (const old of smoothed) {
      const d = Math.hypot(old.box.x + old.box.width / 2 - cx, old.box.y + old.box.height / 2 - cy);
      if (d < bestDistance && d < face.box.width) { best = old; bestDistance = d; }
    }
    const probabilities = {};
    for (const [k, p] of Object.entries(face.probabilities)) {
      probabilities[k] = best ? 0.5 * p + 0.5 * best.probabilities[k] : p;
    }
    const dominant = Object.entries(probabilities).sort((a, b) => b[1] - a[1])[0][0];
    return {box: face.box, probabilities, dominant};
  });
  smoothed = next;
  return next;
}

async function cameraLoop() {
  const frame = document.createElement("canvas");
  while (stream) {
    const started = performance.now();
    if (video.videoWidth > 0) {
      const scale = Math.min(1, 640 / video.videoWidth);
      frame.width = Math.round(video.videoWidth * scale);
      frame.height = Math.round(video.videoHeight * scale);
      frame.getContext("2d").drawImage(video, 0, 0, frame.width, frame.height);
      const blob = await new Promise(resolve => frame.toBlob(resolve, "image/jpeg", 0.8));
      try {
        const result = await recognize(blob, STREAM);
        draw(frame, result, smooth(result.faces));
        statusLine.textContent = `webcam: ${result.faces.length} face(s), ${result.roundTrip.toFixed(0)} ms per frame`;
      } catch (e) {
        statusLine.textContent = `Error: ${e.message}`;
      }
    }
    // A few frames per second: at most one request in flight, at least 250 ms apart.
    await new Promise(resolve => setTimeout(resolve, Math.max(0, 250 - (performance.now() - started))));
  }
}

document.getElementById("camera").addEventListener("click", async () => {
  const button = document.getElementById("camera");
  if (stream) {
    stream.getTracks().forEach(t => t.stop());
    stream = null;
    button.textContent = "Start the webcam";
    return;
  }
  try {
    stream = await navigator.mediaDevices.getUserMedia({video: {width: 640, height: 480}});
    video.srcObject = stream;
    await video.play();
    button.textContent = "Stop the webcam";
    smoothed = [];
    cameraLoop();
  } catch (e) {
    statusLine.textContent = `Webcam unavailable: ${e.message}`;
    stream = null;
  }
});

const drop = document.getElementById("drop");
document.getElementById("file").addEventListener("change", e => { if (e.target.files[0]) showPhoto(e.target.files[0]); });
drop.addEventListener("dragover", e => { e.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", e => {
  e.preventDefault();
  drop.classList.remove("over");
  if (e.dataTransfer.files[0]) showPhoto(e.dataTransfer.files[0]);
});
