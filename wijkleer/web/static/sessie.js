// The participant's session page without a kernel: join, then follow the session (a long poll that the server
// answers as soon as the session changed) and write, vote, rate, commit to actions. Texts come from the server's
// catalogue (the JSON block in the page); HTML parts of the board come escaped from the server (the same helpers as
// the Voilà page); everything typed here is put on the page as text, never as HTML.
"use strict";

(() => {
  const data = JSON.parse(document.getElementById("wijkleer-gegevens").textContent);
  const T = data.teksten;
  const main = document.getElementById("wijkleer");
  const params = new URLSearchParams(location.search);
  const state = { code: (params.get("code") || "").trim().toUpperCase(), wie: params.get("wie") || "", versie: null };
  let view = null; // the elements of the joined page, made once
  let shownTask = null; // "fase:soort" whose task form is on screen
  let restAt = null; // [seconds left, when measured] for the timer

  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? values[name] : whole));
  const newId = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === false || value === null || value === undefined) continue;
      if (name === "text") node.textContent = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }

  async function call(name, body, method) {
    const options = method === "GET" ? {} : {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ code: state.code, wie: state.wie, ...body }),
    };
    const response = await fetch("api/sessie/" + name, { cache: "no-store", credentials: "same-origin", ...options });
    let answer = {};
    try { answer = await response.json(); } catch (e) { answer = {}; }
    return { ok: response.ok, status: response.status, answer };
  }

  function message(box, answer, good) {
    box.replaceChildren();
    box.className = good ? "melding goed" : "melding fout";
    if (!answer || !answer.melding) { box.className = "melding"; return; }
    box.append(el("span", { text: answer.melding }));
    if (answer.hint) box.append(" ", el("span", { class: "hint", text: T.probeer + " " + answer.hint }));
  }

  // -- a field with its label above, help and error below, linked for screen readers ----------------------------
  function field(name, label, control, help) {
    const id = "veld-" + name;
    control.id = id;
    control.name = name;
    const error = el("p", { class: "veldfout", id: id + "-fout", role: "alert" });
    const helpText = help ? el("p", { class: "hulp", id: id + "-hulp", text: help }) : null;
    control.setAttribute("aria-describedby", [helpText && helpText.id, error.id].filter(Boolean).join(" "));
    const box = el("div", { class: "veld" }, el("label", { for: id, text: label }), control, helpText, error);
    return { box, control, error };
  }

  function showErrors(fields, velden) {
    for (const [name, f] of Object.entries(fields)) {
      const text = (velden || {})[name] || "";
      f.error.textContent = text;
      f.control.toggleAttribute("aria-invalid", Boolean(text));
    }
  }

  // -- joining ------------------------------------------------------------------------------------------------------
  function showJoin(notice) {
    view = null;
    shownTask = null;
    const rollen = el("select", {}, el("option", { value: "", text: T.kies }),
      ...data.rollen.map(([code, label]) => el("option", { value: code, text: label })));
    const fields = {
      code: field("code", T.code, el("input", { type: "text", autocomplete: "off", autocapitalize: "characters",
        spellcheck: "false", maxlength: "12", value: state.code }), T.code_hulp),
      naam: field("naam", T.naam, el("input", { type: "text", autocomplete: "nickname", maxlength: "80" }), T.naam_hulp),
      rol: field("rol", T.rol, rollen),
    };
    const melding = el("div", { class: "melding", role: "status" });
    const button = el("button", { type: "submit", class: "hoofdknop", text: T.meedoen });
    const form = el("form", { novalidate: true }, ...Object.values(fields).map((f) => f.box), button, melding);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      button.disabled = true;
      const code = fields.code.control.value.trim().toUpperCase();
      try {
        const { ok, answer } = await call("meedoen", {
          code, naam: fields.naam.control.value, rol: fields.rol.control.value,
        });
        if (!ok) { showErrors(fields, answer.velden); message(melding, answer, false); return; }
        state.code = code;
        state.wie = answer.wie;
        // the personal link: a reload comes back as this person; nothing is kept in the browser beyond the address
        history.replaceState(null, "", "?code=" + encodeURIComponent(code) + "&wie=" + encodeURIComponent(state.wie));
        follow();
      } catch (e) {
        message(melding, { melding: T.verbinding_weg }, false);
      } finally {
        button.disabled = false;
      }
    });
    const intro = el("p", { text: T.welkom });
    const notes = notice ? el("div", { class: "melding fout", role: "alert" }) : null;
    if (notes) message(notes, notice, false);
    main.replaceChildren(...[el("h1", { text: T.titel }), notes, intro, form].filter(Boolean));
    document.body.dataset.klaar = "meedoen";
  }

  // -- following the session ----------------------------------------------------------------------------------------
  async function follow() {
    state.versie = null;
    for (;;) {
      const query = new URLSearchParams({ code: state.code, wie: state.wie });
      if (state.versie !== null) query.set("versie", state.versie);
      let result;
      try {
        result = await call("stand?" + query.toString(), null, "GET");
      } catch (e) {
        if (view) message(view.melding, { melding: T.verbinding_weg }, false);
        await new Promise((resolve) => setTimeout(resolve, 2000));
        continue;
      }
      if (result.status === 403) { state.wie = ""; showJoin(result.answer); return; }
      if (!result.ok) { await new Promise((resolve) => setTimeout(resolve, 1000)); continue; }
      if (!result.answer.zelfde) render(result.answer);
      state.versie = result.answer.versie;
      if (result.answer.status === "afgerond") return;
    }
  }

  function makeView() {
    const link = "?code=" + encodeURIComponent(state.code) + "&wie=" + encodeURIComponent(state.wie);
    view = {
      wie: el("p"),
      persoonlijk: el("p", { class: "meta" }, T.persoonlijk + " ", el("a", { href: link, text: T.persoonlijke_link })),
      kop: el("div"), timer: el("p", { class: "wijkleer-timer", "aria-live": "off" }), spotlight: el("div"),
      werk: el("div", { class: "werk" }), klaar: el("button", { type: "button", class: "klaar", "aria-pressed": "false",
        text: T.ik_ben_klaar }),
      melding: el("div", { class: "melding", role: "status" }), bord: el("div", { class: "bordvlak" }),
    };
    view.klaar.addEventListener("click", async () => {
      const next = view.klaar.getAttribute("aria-pressed") !== "true";
      const { ok, answer } = await call("klaar", { klaar: next });
      if (ok) view.klaar.setAttribute("aria-pressed", String(next));
      else message(view.melding, answer, false);
    });
    main.replaceChildren(el("h1", { text: T.titel }), view.wie, view.persoonlijk, view.kop, view.timer, view.spotlight, view.werk, view.klaar,
      view.melding, view.bord);
  }

  function render(s) {
    if (!view) makeView();
    view.wie.textContent = s.wie;
    if (s.status === "afgerond") {
      view.werk.replaceChildren(el("p", { text: s.einde }));
      for (const part of [view.kop, view.spotlight, view.bord, view.timer]) part.replaceChildren();
      view.klaar.hidden = true;
      restAt = null;
      document.body.dataset.klaar = "afgerond";
      return;
    }
    view.kop.innerHTML = s.kop; // escaped by the server
    view.spotlight.innerHTML = s.spotlight;
    view.bord.innerHTML = s.bord;
    restAt = s.rest === null ? null : [s.rest, Date.now()];
    if (restAt === null) view.timer.textContent = s.timer; // not started or paused: the server's words
    tick();
    view.klaar.setAttribute("aria-pressed", String(Boolean(s.klaar)));
    const task = s.fase + ":" + s.soort;
    if (task !== shownTask) {
      const unsent = Array.from(view.werk.querySelectorAll("textarea")).map((t) => t.value.trim()).filter(Boolean);
      shownTask = task;
      view.werk.replaceChildren(...makeTask(s));
      message(view.melding, unsent.length ? { melding: fill(T.niet_verstuurd, { tekst: unsent.join(" / ") }) } : null);
    }
    if (s.soort === "stemmen") drawVotes(s);
    if (s.eigen) drawOwn(s.eigen);
    document.body.dataset.klaar = "sessie";
    document.body.dataset.fase = String(s.fase);
  }

  function tick() {
    if (!view || restAt === null) return;
    const rest = restAt[0] - (Date.now() - restAt[1]) / 1000;
    const seconds = Math.floor(Math.abs(rest));
    const shown = Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
    view.timer.textContent = fill(rest < 0 ? T.klok_over : T.klok_nog, { tijd: shown });
    view.timer.classList.toggle("wijkleer-te-laat", rest < 0);
  }

  // -- the task of a phase --------------------------------------------------------------------------------------------
  function sendForm(fields, label, action, body, done) {
    const melding = el("div", { class: "melding", role: "status" });
    const button = el("button", { type: "submit", class: "hoofdknop", text: label });
    let id = newId();
    const form = el("form", { novalidate: true }, ...Object.values(fields).map((f) => f.box), button, melding);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      button.disabled = true;
      try {
        const { ok, answer } = await call(action, { id, fase: Number(document.body.dataset.fase), ...body() });
        showErrors(fields, ok ? {} : answer.velden);
        message(melding, answer, ok);
        if (ok) { id = newId(); done(); }
      } catch (e) {
        message(melding, { melding: T.verbinding_weg }, false);
      } finally {
        button.disabled = false;
      }
    });
    return form;
  }

  function makeTask(s) {
    if (s.schrijven) return [writeTask()];
    if (s.soort === "stemmen") {
      view.budget = el("p", { class: "budget" });
      view.stemlijst = el("div", { class: "stemlijst" });
      view.stemrijen = null;
      return [view.budget, view.stemlijst];
    }
    if (s.soort === "acties") return [actionTask()];
    if (s.soort === "verwachtingen") return ratingTask(s.verwachtingen || []);
    if (s.soort === "terugkoppeling") { const box = el("div"); box.innerHTML = s.terugblik; return [box]; }
    return [];
  }

  function writeTask() {
    const fields = { tekst: field("tekst", T.jouw_bijdrage, el("textarea", { rows: "4", maxlength: "1000" }), T.bijdrage_hulp) };
    view.eigen = el("div", { class: "eigen" });
    view.eigenIds = null;
    return el("div", {}, sendForm(fields, T.insturen, "bijdrage", () => ({ tekst: fields.tekst.control.value }),
      () => { fields.tekst.control.value = ""; }), view.eigen);
  }

  // one's own entries nobody else has seen yet: change or take back (drawn again only when that list changes, so
  // text being changed stays in its field)
  function drawOwn(own) {
    const ids = own.map((e) => e.id).join(",");
    if (!view.eigen || view.eigenIds === ids) return;
    view.eigenIds = ids;
    view.eigen.replaceChildren(...(own.length ? [el("h3", { text: T.eigen_kop }), ...own.map(ownRow)] : []));
  }

  function ownRow(entry) {
    const fields = { tekst: field("eigen-" + entry.nummer, fill(T.eigen_bijdrage, { nummer: entry.nummer }),
      el("textarea", { rows: "3", maxlength: "1000" })) };
    fields.tekst.control.value = entry.tekst;
    const form = sendForm(fields, T.wijziging_opslaan, "wijzigen",
      () => ({ bijdrage: entry.id, tekst: fields.tekst.control.value }), () => {});
    const melding = el("div", { class: "melding", role: "status" });
    let sure = false;
    const drop = el("button", { type: "button", class: "intrekken", text: T.intrekken });
    drop.addEventListener("click", async () => {
      if (!sure) { sure = true; drop.textContent = T.intrekken_zeker; return; }
      const { ok, answer } = await call("intrekken", { bijdrage: entry.id });
      message(melding, answer, ok);
      sure = false;
      drop.textContent = T.intrekken;
    });
    return el("div", { class: "eigenrij" }, form, drop, melding);
  }

  function actionTask() {
    const fields = {
      omschrijving: field("omschrijving", T.actie_wat, el("textarea", { rows: "3", maxlength: "500" }), T.actie_hulp),
      deadline: field("deadline", T.actie_wanneer, el("input", { type: "date" })),
    };
    return sendForm(fields, T.actie_opslaan, "actie",
      () => ({ omschrijving: fields.omschrijving.control.value, deadline: fields.deadline.control.value }),
      () => { fields.omschrijving.control.value = ""; fields.deadline.control.value = ""; });
  }

  function ratingTask(expectations) {
    if (!expectations.length) return [el("p", { text: T.geen_verwachtingen })];
    const scale = () => el("select", {}, el("option", { value: "0", text: "–" }),
      ...[1, 2, 3, 4, 5].map((n) => el("option", { value: String(n), text: String(n) })));
    const pairs = {};
    const rows = expectations.map((v) => {
      const belang = field("belang-" + v.nummer, fill(T.belang_n, { n: v.nummer }), scale());
      const haalbaar = field("haalbaar-" + v.nummer, fill(T.haalbaar_n, { n: v.nummer }), scale());
      pairs[v.id] = [belang.control, haalbaar.control];
      return el("fieldset", { class: "beoordeling" }, el("legend", { text: v.nummer + ". " + v.tekst }), belang.box, haalbaar.box);
    });
    const form = sendForm({}, T.beoordelingen_opslaan, "beoordelen", () => ({
      scores: Object.fromEntries(Object.entries(pairs).map(([id, [b, h]]) => [id, [Number(b.value), Number(h.value)]])),
    }), () => {});
    form.prepend(...rows);
    return [el("p", { text: T.schaal }), form];
  }

  function drawVotes(s) {
    const votes = s.stemmen;
    view.budget.textContent = votes.over > 0 ? fill(T.stippen_over, { over: votes.over, budget: votes.budget })
      : T.stippen_op;
    const ids = JSON.stringify(votes.rijen.map((r) => [r.id, r.kaart])); // new entries, or a group changed
    if (view.stemrijen !== ids) {
      view.stemrijen = ids;
      view.stemlijst.replaceChildren(...(votes.rijen.length ? votes.rijen.map(voteRow)
        : [el("p", { text: T.nog_niets_om_te_stemmen })]));
    }
    for (const row of votes.rijen) {
      const box = view.stemlijst.querySelector('[data-bijdrage="' + CSS.escape(row.id) + '"]');
      box.querySelector(".mijn").textContent = fill(T.jouw_stippen, { aantal: row.mijn });
      box.querySelector(".erbij").disabled = votes.over <= 0;
      box.querySelector(".eraf").disabled = !row.mijn;
    }
  }

  function voteRow(row) {
    const card = el("div");
    card.innerHTML = row.kaart; // escaped by the server
    const vote = (erbij) => async () => {
      const { ok, answer } = await call("stip", { bijdrage: row.id, erbij, fase: Number(document.body.dataset.fase) });
      message(view.melding, ok ? null : answer, false);
    };
    return el("div", { class: "stemrij", "data-bijdrage": row.id }, card,
      el("div", { class: "knoppen" }, el("span", { class: "mijn" }),
        el("button", { type: "button", class: "erbij", "aria-label": fill(T.stip_erbij, { nummer: row.nummer }), text: "+", onclick: vote(true) }),
        el("button", { type: "button", class: "eraf", "aria-label": fill(T.stip_eraf, { nummer: row.nummer }), text: "−", onclick: vote(false) })));
  }

  setInterval(tick, 1000);
  if (state.wie && state.code) follow();
  else showJoin(null);
})();
