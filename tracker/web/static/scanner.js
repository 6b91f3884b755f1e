// What the scan station and the receiving checklist share: the scan input (a keyboard-wedge
// scanner types the code and presses Enter), the camera where BarcodeDetector exists,
// feedback with a sound, and calls to the JSON API with the page's CSRF token.
"use strict";

const Scanner = (() => {
  const pageData = JSON.parse(document.getElementById("page-data").textContent);
  const messages = pageData.messages;
  const csrfToken = document.querySelector('meta[name="csrf-token"]').content;
  let audio = null;

  // crypto.randomUUID needs a secure context; an intranet http:// address is not one.
  function uuid() {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  function deviceId() {
    let id = localStorage.getItem("tracker.deviceId");
    if (!id) {
      id = "web-" + uuid();
      localStorage.setItem("tracker.deviceId", id);
    }
    return id;
  }

  function beep(ok) {
    try {
      audio = audio || new AudioContext();
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.type = ok ? "sine" : "square";
      oscillator.frequency.value = ok ? 1046 : 220;
      gain.gain.value = 0.08;
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start();
      oscillator.stop(audio.currentTime + (ok ? 0.12 : 0.4));
    } catch (error) {
      // No sound on this device: the colour still tells.
    }
  }

  function feedback(kind, text) {
    const box = document.getElementById("feedback");
    box.className = "feedback " + kind;
    box.textContent = text;
    if (kind !== "wait") beep(kind === "ok");
  }

  async function api(method, path, body, headers = {}) {
    const response = await fetch(path, {
      method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = await response.json().catch(() => ({}));
    return { status: response.status, answer };
  }

  // A handheld scanner types a code fast and ends it with Enter. Wherever the focus is, such
  // a burst goes to the scan, and its Enter never presses the focused button; what it typed
  // into another field is taken back out. People type far slower than BURST_GAP_MS a key.
  const BURST_GAP_MS = 40;
  const BURST_MIN_LENGTH = 4;
  const TYPING_FIELDS = "input:not([type=checkbox]):not([type=radio]):not([type=button]):not([type=submit]), textarea";

  function routeBursts(input, handle) {
    let burst = "";
    let lastKeyAt = 0;
    let field = null;
    let fieldValue = null;
    document.addEventListener("keydown", (event) => {
      if (event.target === input || event.target.closest("[data-own-scans]") || event.ctrlKey || event.altKey || event.metaKey) return;
      const now = performance.now();
      const fast = now - lastKeyAt < BURST_GAP_MS;
      lastKeyAt = now;
      if (event.key === "Enter") {
        const code = burst.trim().toUpperCase();
        burst = "";
        if (!fast || code.length < BURST_MIN_LENGTH) return;
        event.preventDefault();
        event.stopPropagation();
        if (field) field.value = fieldValue;
        input.focus();
        handle(code);
        return;
      }
      if (event.key.length !== 1) {
        burst = "";
        return;
      }
      if (!fast || !burst) {
        burst = "";
        field = event.target.matches(TYPING_FIELDS) ? event.target : null;
        fieldValue = field ? field.value : null;
      } else if (!field) {
        event.preventDefault();  // a burst's later keys must not act on a focused control
      }
      burst += event.key;
    }, true);
  }

  function onScan(input, handle) {
    input.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault();
      const code = input.value.trim().toUpperCase();
      input.value = "";
      if (code) handle(code);
    });
    routeBursts(input, handle);
    // After any action the cursor goes back to the scan box, ready for the next scan.
    const backToScan = () => setTimeout(() => input.focus({ preventScroll: true }), 0);
    document.addEventListener("click", (event) => {
      if (!event.target.closest(`a, select, dialog, [data-own-scans], ${TYPING_FIELDS}`)) backToScan();
    });
    document.addEventListener("change", (event) => {
      if (event.target.matches("input[type=checkbox], input[type=radio]")) backToScan();
    });
  }

  async function startCamera(handle) {
    const video = document.getElementById("camera");
    try {
      const formats = await BarcodeDetector.getSupportedFormats();
      const detector = new BarcodeDetector({ formats: formats.filter((f) => ["code_128", "qr_code"].includes(f)) });
      video.srcObject = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
      video.hidden = false;
      await video.play();
      let last = { code: "", at: 0 };
      const look = async () => {
        for (const found of await detector.detect(video).catch(() => [])) {
          const code = found.rawValue.trim().toUpperCase();
          if (code !== last.code || Date.now() - last.at > 2500) handle(code);
          last = { code, at: Date.now() };
        }
        setTimeout(look, 200);
      };
      look();
    } catch (error) {
      feedback("bad", messages.camera_failed);
    }
  }

  function offerCamera(handle) {
    const button = document.getElementById("camera-button");
    if (!button || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
    button.hidden = false;
    button.addEventListener("click", () => {
      button.hidden = true;
      startCamera(handle);
    });
  }

  return { pageData, messages, uuid, deviceId, feedback, api, onScan, offerCamera };
})();
