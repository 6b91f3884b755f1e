// The receiving checklist. Ticks are kept in localStorage until the receipt is confirmed, so a
// closed tab or a reload loses nothing; the receipt itself is one call, sent with an
// idempotency key kept beside the ticks, so confirming twice records it once.
"use strict";

(() => {
  const { pageData, messages, feedback } = Scanner;
  const transfer = pageData.transfer;
  const STATE_KEY = `tracker.receipt.${transfer}`;
  const expected = document.querySelector("#expected tbody");
  const unexpected = document.querySelector("#unexpected tbody");
  const state = JSON.parse(localStorage.getItem(STATE_KEY) || "null") ||
    { ticked: [], damaged: [], unexpected: [], key: Scanner.uuid() };

  const save = () => localStorage.setItem(STATE_KEY, JSON.stringify(state));
  const rowFor = (code) => [...expected.rows].find(
    (row) => row.dataset.code === code || (row.dataset.postalId && row.dataset.postalId === code));
  // A dossier's code stands for its packet on this slip when it has exactly one here.
  const rowsOfDossier = (code) => [...expected.rows].filter(
    (row) => row.dataset.tracking === code || (row.dataset.dossier && row.dataset.dossier === code));

  function render() {
    for (const row of expected.rows) {
      row.className = state.ticked.includes(row.dataset.code) ? "ok" : "wait";
      row.querySelector("[data-damaged]").checked = state.damaged.includes(row.dataset.code);
    }
    unexpected.replaceChildren(...state.unexpected.map((found) => {
      const row = document.createElement("tr");
      row.className = "bad";
      row.dataset.code = found.code;
      for (const text of [found.code, found.dossier_code]) {
        const cell = document.createElement("td");
        cell.textContent = text;
        row.append(cell);
      }
      return row;
    }));
    document.getElementById("ticked").textContent = state.ticked.length;
  }

  function tick(code) {
    if (!state.ticked.includes(code)) state.ticked.push(code);
  }

  async function flagUnexpected(code) {
    try {
      const { status, answer } = await Scanner.api("GET", `/api/v1/items/${encodeURIComponent(code)}`);
      if (status !== 200) {
        feedback("bad", `${code}: ${messages.unknown_code}`);
        return;
      }
      if (state.ticked.includes(answer.code) || state.unexpected.some((found) => found.code === answer.code)) {
        feedback("wait", `${messages.already_ticked}: ${answer.code}`);
        return;
      }
      state.unexpected.push({ code: answer.code, dossier_code: answer.dossier_code });
      save();
      render();
      feedback("bad", `${messages.unexpected}: ${answer.code} · ${answer.dossier_code}`);
    } catch (error) {
      feedback("bad", messages.offline);
    }
  }

  function scan(code) {
    const ofDossier = rowsOfDossier(code);
    if (ofDossier.length > 1) {
      feedback("wait", `${code}: ${messages.several_packets}`);
      return;
    }
    const row = rowFor(code) || ofDossier[0];
    if (!row) {
      flagUnexpected(code);
      return;
    }
    const itemCode = row.dataset.code;
    if (state.ticked.includes(itemCode)) {
      feedback("wait", `${messages.already_ticked}: ${itemCode}`);
      return;
    }
    tick(itemCode);
    save();
    render();
    feedback("ok", `${messages.ticked}: ${itemCode} · ${row.cells[1].firstChild.textContent}`);
  }

  expected.addEventListener("change", (event) => {
    const code = event.target.dataset.damaged;
    if (!code) return;
    state.damaged = state.damaged.filter((c) => c !== code);
    if (event.target.checked) {
      state.damaged.push(code);
      tick(code);  // a damaged packet has arrived
    }
    save();
    render();
  });

  document.getElementById("confirm").addEventListener("click", async (event) => {
    const sealChoice = document.querySelector('input[name="seal"]:checked');
    if (!sealChoice) {
      feedback("bad", messages.seal_required);
      document.querySelector('input[name="seal"]').focus();
      return;
    }
    event.target.disabled = true;
    const seal = sealChoice.value;
    const body = {
      scanned: [...state.ticked, ...state.unexpected.map((found) => found.code)],
      damaged: state.damaged,
      seal_intact: seal === "" ? null : seal === "true",
      note: document.getElementById("note").value || null,
      occurred_at: new Date().toISOString(),
      device_id: Scanner.deviceId(),
    };
    try {
      const path = `/api/v1/transfers/${encodeURIComponent(transfer)}/receive`;
      const { status, answer } = await Scanner.api("POST", path, body, { "Idempotency-Key": state.key });
      if (status === 200) {
        localStorage.removeItem(STATE_KEY);
        window.location.reload();
        return;
      }
      feedback("bad", `${messages.confirm_failed}: ${(answer.error || {}).message || status}`);
    } catch (error) {
      feedback("bad", `${messages.confirm_failed}: ${messages.offline}`);
    }
    event.target.disabled = false;
  });

  render();
  Scanner.onScan(document.getElementById("scan"), scan);
  Scanner.offerCamera(scan);
})();
