// The live session's pages: participant, host and projector (docs/live-protocol.md).
// One websocket; the snapshot and its events (applied by live-state.js) are the only truth.
// Every text a person writes is shown with textContent, never as HTML.
(function () {
  "use strict";

  const configNode = document.getElementById("live-config");
  const root = document.getElementById("live");
  if (!configNode || !root || !window.MatchplatsLive) return;
  const config = JSON.parse(configNode.textContent);
  const T = config.strings;
  const statusNode = document.getElementById("live-status");
  const VIEW = config.view;
  const SEGMENTS = ["all", "employer", "provider", "region", "guest"];
  const MISSING_EVENT_WAIT = 2000;

  let state = null;
  let version = -1;
  let me = null;
  let presence = 0;
  let socket = null;
  let attempts = 0;
  let finished = false;
  let syncing = false;
  const pending = new Map();
  const ui = {segment: "all", drafts: {}, noteDrafts: {}, error: ""};

  // --- small helpers ---------------------------------------------------------------------------

  function t(key, params) {
    let text = T[key] || key;
    Object.entries(params || {}).forEach(([name, value]) => {
      text = text.split("{" + name + "}").join(String(value));
    });
    return text;
  }

  function answers(n) {
    return t(n === 1 ? "answers_one" : "answers", {n: n});
  }

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([name, value]) => {
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else if (name === "class") node.className = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else if (value === true) node.setAttribute(name, "");
      else node.setAttribute(name, String(value));
    });
    (children || []).forEach((child) => {
      if (child === null || child === undefined || child === false) return;
      node.append(typeof child === "string" || typeof child === "number" ? String(child) : child);
    });
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.firstChild.remove();
    return node;
  }

  // Keep nodes whose data did not change, so focus and half-typed input survive other people's events.
  function keyed(container, items, keyOf, sigOf, build) {
    const existing = new Map(Array.from(container.children).map((n) => [n.dataset.key, n]));
    const wanted = items.map((item) => {
      const key = String(keyOf(item));
      const sig = sigOf(item);
      let node = existing.get(key);
      if (!node || node.dataset.sig !== sig) {
        node = build(item);
        node.dataset.key = key;
        node.dataset.sig = sig;
      }
      return node;
    });
    wanted.forEach((node, i) => {
      if (container.children[i] !== node) container.insertBefore(node, container.children[i] || null);
      if (node.update) node.update(items[i]);
    });
    while (container.children.length > wanted.length) container.lastElementChild.remove();
  }

  function section(id, title, extraClass) {
    const heading = el("h2", {id: "live-" + id + "-title", text: title});
    const body = el("div", {class: "live-body"});
    const node = el("section", {class: "live-section " + (extraClass || ""), "aria-labelledby": heading.id},
      [heading, body]);
    node.body = body;
    return node;
  }

  function commandId() {
    if (window.crypto && window.crypto.randomUUID) return "c-" + window.crypto.randomUUID();
    return "c-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }

  function itemTitle(id) {
    const item = state && state.agenda.find((a) => a.id === id);
    return item ? item.title : "";
  }

  function optionLabel(poll, id) {
    const option = poll.options.find((o) => o.id === id);
    return option ? option.label : "?";
  }

  // --- the connection ----------------------------------------------------------------------------

  function setStatus(text, kind) {
    statusNode.textContent = text;
    statusNode.className = "live-status" + (kind ? " " + kind : "");
  }

  function send(type, fields) {
    const message = Object.assign({type: type, id: commandId(), session: config.session}, fields || {});
    pending.set(message.id, message);
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
    return message.id;
  }

  function connect() {
    const scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + config.ws);
    socket.addEventListener("message", (event) => receive(JSON.parse(event.data)));
    socket.addEventListener("close", (event) => closed(event.code));
  }

  function closed(code) {
    socket = null;
    if (code === 4410) {
      finished = true;
      setStatus(t("over"), "over");
      render();
      return;
    }
    if (code === 4403 || code === 4404) {
      finished = true;
      setStatus(t("refused"), "error");
      return;
    }
    const delay = Math.min(30000, 500 * Math.pow(2, attempts)) * (0.75 + Math.random() / 2);
    attempts += 1;
    setStatus(t("reconnecting"), "warning");
    window.setTimeout(connect, delay);
  }

  function receive(message) {
    if (message.type === "snapshot") {
      state = message.state;
      version = message.version;
      me = message.me;
      presence = state.presence;
      syncing = false;
      attempts = 0;
      if (state.session.state !== "closed") setStatus(t("connected"), "ok");
      pending.forEach((command) => socket.send(JSON.stringify(command)));
      render();
    } else if (message.type === "event") {
      if (state === null || syncing || message.version <= version) return;
      if (message.version !== version + 1) {
        syncing = true;
        socket.send(JSON.stringify({type: "sync"}));
        return;
      }
      state = window.MatchplatsLive.applyEvent(state, message.event);
      version = message.version;
      render();
    } else if (message.type === "ack") {
      const command = pending.get(message.id);
      pending.delete(message.id);
      if (command) acknowledged(command, message.result);
      expect(message.version);
      render();
    } else if (message.type === "error" && message.code === "refused") {
      return; // the close code that follows says why, in the page's language
    } else if (message.type === "error") {
      const command = message.id ? pending.get(message.id) : null;
      if (message.id) pending.delete(message.id);
      refused(command, message);
      render();
    } else if (message.type === "presence") {
      presence = message.count;
      renderPresence();
    }
  }

  // An ack names the version after the command; its events normally follow at once. Delivery is at
  // most once, so if they have not come after a moment, read the snapshot again.
  function expect(ackVersion) {
    if (typeof ackVersion !== "number" || ackVersion <= version) return;
    window.setTimeout(() => {
      if (version < ackVersion && !syncing && socket && socket.readyState === WebSocket.OPEN) {
        syncing = true;
        socket.send(JSON.stringify({type: "sync"}));
      }
    }, MISSING_EVENT_WAIT);
  }

  function acknowledged(command, result) {
    ui.error = "";
    if (command.type === "vote") {
      me.votes[String(result.poll)] = result.answer;
      delete ui.drafts[result.poll];
    } else if (command.type === "question.ask") {
      if (me.asked.indexOf(result.question.id) === -1) me.asked = me.asked.concat([result.question.id]);
      if (result.question.state === "pending") {
        me.questions = me.questions.filter((q) => q.id !== result.question.id).concat([result.question]);
      }
    } else if (command.type === "question.upvote" && me.upvoted.indexOf(result.question) === -1) {
      me.upvoted = me.upvoted.concat([result.question]);
    } else if (command.type === "note.set") {
      delete ui.noteDrafts[result.agenda_item];
    }
  }

  function refused(command, message) {
    ui.error = message.message;
    if (command && command.type === "note.set" && message.code === "conflict") {
      delete ui.noteDrafts[command.agenda_item];
      const editor = root.querySelector('[data-notes="' + command.agenda_item + '"]');
      if (editor) editor.dataset.dirty = "";
      if (socket && socket.readyState === WebSocket.OPEN) {
        syncing = true;
        socket.send(JSON.stringify({type: "sync"}));
      }
    }
  }

  // --- results -----------------------------------------------------------------------------------

  function bar(label, value, total, extra, points) {
    const share = total > 0 ? Math.round((100 * value) / total) : 0;
    const fill = el("span", {class: "bar-fill"});
    fill.style.width = share + "%";
    return el("li", {class: "bar-row"}, [
      el("span", {class: "bar-label", text: label}),
      extra || null,
      el("span", {class: "bar-value", text: points ? t(value === 1 ? "points_one" : "points", {n: value})
        : t("count_share", {n: value, share: share})}),
      el("span", {class: "bar", "aria-hidden": "true"}, [fill]),
    ]);
  }

  function movementBadge(movement, optionId) {
    if (!movement) return null;
    const moved = movement[String(optionId)];
    if (moved === null || moved === undefined) {
      return el("span", {class: "move new", text: t("new"), title: t("new_title")});
    }
    if (moved > 0) return el("span", {class: "move up", text: "↑" + moved, title: t("rose", {n: moved})});
    if (moved < 0) return el("span", {class: "move down", text: "↓" + -moved, title: t("fell", {n: -moved})});
    return el("span", {class: "move same", text: "–", title: t("same_place")});
  }

  function renderResults(poll, results, segment) {
    const data = results.segments[segment] || results.segments.all;
    const box = el("div", {class: "results"});
    if (VIEW !== "participant") box.append(el("p", {class: "hint", text: answers(data.answers)}));
    if (poll.kind === "single" || poll.kind === "multiple") {
      box.append(el("ul", {class: "bars"}, poll.options.map((o) => bar(o.label, data.counts[String(o.id)] || 0,
        data.answers))));
    } else if (poll.kind === "ranking") {
      const top = Math.max(1, ...Object.values(data.scores));
      box.append(el("ol", {class: "bars ranking-results"}, data.order.map((id) => bar(optionLabel(poll, id),
        data.scores[String(id)] || 0, top, movementBadge(segment === "all" ? results.movement : null, id), true))));
      box.append(el("p", {class: "hint", text: t("ranking_points")}));
    } else if (poll.kind === "scale") {
      box.append(el("ul", {class: "bars"}, ["1", "2", "3", "4", "5"].map((n) => bar(n, data.counts[n] || 0,
        data.answers))));
      if (data.mean !== null && data.mean !== undefined) {
        box.append(el("p", {class: "mean", text: t("mean", {mean: data.mean})}));
      }
    } else {
      const top = data.words.length ? data.words[0][1] : 1;
      box.append(el("ul", {class: "words"}, data.words.map(([word, n]) => el("li", {
        class: "word w" + Math.max(1, Math.ceil((5 * n) / top))}, [word, el("span", {class: "visually-hidden",
        text: " (" + n + ")"})]))));
    }
    return box;
  }

  function segmentSwitch() {
    return el("div", {class: "segments", role: "group", "aria-label": t("segment")}, SEGMENTS.map((segment) => el(
      "button", {type: "button", class: "secondary", "aria-pressed": String(ui.segment === segment),
        text: t("segment_" + segment), onclick: () => { ui.segment = segment; render(); }})));
  }

  // --- answering a poll --------------------------------------------------------------------------

  function answerText(poll, answer) {
    if (poll.kind === "scale") return String(answer);
    if (poll.kind === "words") return answer.join(", ");
    return answer.map((id) => optionLabel(poll, id)).join(poll.kind === "ranking" ? " › " : ", ");
  }

  function voteForm(poll) {
    const mine = me.votes[String(poll.id)];
    const form = el("form", {class: "vote", novalidate: true});
    const legendText = poll.question;
    if (poll.kind === "scale") {
      form.append(el("p", {class: "hint", text: t("scale_hint")}), el("div", {class: "scale", role: "group",
        "aria-label": legendText}, [1, 2, 3, 4, 5].map((n) => el("button", {type: "button", class: "secondary",
        "aria-pressed": String(mine === n), text: String(n),
        onclick: () => send("vote", {poll: poll.id, answer: n})}))));
      return form;
    }
    if (poll.kind === "words") {
      const previous = mine || [];
      for (let i = 0; i < 3; i += 1) {
        const id = "poll-" + poll.id + "-word-" + i;
        form.append(el("div", {class: "field"}, [el("label", {for: id, text: t("word", {n: i + 1})}),
          el("input", {type: "text", id: id, maxlength: 40, value: previous[i] || "", autocomplete: "off"})]));
      }
      form.append(el("button", {type: "submit", text: mine ? t("change_answer") : t("answer")}));
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const words = Array.from(form.querySelectorAll("input")).map((i) => i.value.trim()).filter(Boolean);
        if (!words.length) { ui.error = t("need_word"); render(); return; }
        send("vote", {poll: poll.id, answer: words});
      });
      return form;
    }
    if (poll.kind === "ranking") {
      const order = ui.drafts[poll.id] || (mine ? mine.slice() : poll.options.map((o) => o.id));
      ui.drafts[poll.id] = order;
      const list = el("ol", {class: "rank-list"});
      order.forEach((id, place) => {
        const label = optionLabel(poll, id);
        const move = (delta) => {
          const next = order.slice();
          next.splice(place, 1);
          next.splice(place + delta, 0, id);
          ui.drafts[poll.id] = next;
          const card = form.closest("[data-key]");
          if (card) card.dataset.sig = "";
          render();
          const again = root.querySelector('[data-rank="' + poll.id + "-" + id + '"] button[data-dir="' + delta + '"]');
          if (again && !again.disabled) again.focus();
        };
        list.append(el("li", {"data-rank": poll.id + "-" + id}, [el("span", {class: "rank-label", text: label}),
          el("span", {class: "rank-buttons"}, [
            el("button", {type: "button", class: "secondary", "data-dir": "-1", disabled: place === 0,
              "aria-label": t("move_up", {label: label}), text: "↑", onclick: () => move(-1)}),
            el("button", {type: "button", class: "secondary", "data-dir": "1", disabled: place === order.length - 1,
              "aria-label": t("move_down", {label: label}), text: "↓", onclick: () => move(1)})])]));
      });
      form.append(el("p", {class: "hint", text: t("ranking_hint")}), list,
        el("button", {type: "submit", text: mine ? t("change_answer") : t("answer")}));
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        send("vote", {poll: poll.id, answer: ui.drafts[poll.id]});
      });
      return form;
    }
    const multiple = poll.kind === "multiple";
    const max = poll.max_choices || poll.options.length;
    const chosen = new Set(mine || []);
    const fieldset = el("fieldset", {}, [el("legend", {class: "visually-hidden", text: legendText})]);
    if (multiple) fieldset.append(el("p", {class: "hint", text: t("choose_max", {n: max})}));
    poll.options.forEach((option) => {
      const id = "poll-" + poll.id + "-option-" + option.id;
      fieldset.append(el("div", {class: "choice"}, [
        el("input", {type: multiple ? "checkbox" : "radio", name: "poll-" + poll.id, id: id, value: option.id,
          checked: chosen.has(option.id)}),
        el("label", {for: id, text: option.label})]));
    });
    const limit = () => {
      if (!multiple) return;
      const boxes = Array.from(fieldset.querySelectorAll("input"));
      const count = boxes.filter((b) => b.checked).length;
      boxes.forEach((b) => { b.disabled = !b.checked && count >= max; });
    };
    fieldset.addEventListener("change", limit);
    limit();
    form.append(fieldset, el("button", {type: "submit", text: mine ? t("change_answer") : t("answer")}));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const answer = Array.from(fieldset.querySelectorAll("input:checked")).map((i) => Number(i.value));
      if (!answer.length) { ui.error = t("need_choice"); render(); return; }
      send("vote", {poll: poll.id, answer: answer});
    });
    return form;
  }

  // What rebuilds a poll's card; answers and results only refresh their own part of it, so a
  // participant's half-made choice and the focus survive everyone else's votes.
  function pollSignature(poll, forHost) {
    return JSON.stringify([poll.id, poll.state, poll.revealed, poll.question, poll.options, poll.agenda_item,
      Boolean(poll.results), forHost ? null : me.votes[String(poll.id)], state.session.state,
      itemTitle(poll.agenda_item)]);
  }

  function pollCard(poll, forHost) {
    const count = el("span", {});
    const results = el("div", {class: "results-slot"});
    const card = el("article", {class: "poll poll-" + poll.state}, [
      el("h3", {text: poll.question}),
      el("p", {class: "poll-meta"}, [el("span", {class: "badge", text: t("state_" + poll.state)}), " ",
        el("span", {text: t("kind_" + poll.kind)}), " · ", count,
        poll.agenda_item ? " · " + itemTitle(poll.agenda_item) : ""]),
    ]);
    card.update = (current) => {
      count.textContent = answers(current.answers);
      const sig = JSON.stringify([current.results, forHost ? ui.segment : "all"]);
      if (results.dataset.sig === sig) return;
      results.dataset.sig = sig;
      clear(results);
      if (current.results && current.state !== "draft") {
        results.append(renderResults(current, current.results, forHost ? ui.segment : "all"));
      } else if (!forHost && current.state === "open") {
        results.append(el("p", {class: "hint", text: t("results_later")}));
      }
    };
    const mine = me && me.votes[String(poll.id)];
    if (!forHost) {
      if (mine !== undefined) {
        card.append(el("p", {class: "my-answer", text: t("your_answer", {answer: answerText(poll, mine)})}));
      }
      if (poll.state === "open" && state.session.state === "live") card.append(voteForm(poll));
      else if (poll.state === "closed" && !poll.results) card.append(el("p", {class: "hint", text: t("poll_closed")}));
    }
    card.append(results);
    if (forHost) card.append(hostPollButtons(poll));
    return card;
  }

  // --- common parts ------------------------------------------------------------------------------

  const presenceNode = el("p", {class: "presence"});

  function renderPresence() {
    presenceNode.textContent = t(presence === 1 ? "presence_one" : "presence", {n: presence});
  }

  const errorNode = el("p", {class: "live-error", role: "alert"});
  const overNode = el("div", {class: "live-over"});

  function renderCommon() {
    errorNode.textContent = ui.error;
    errorNode.hidden = !ui.error;
    clear(overNode);
    if (finished || (state && state.session.state === "closed")) {
      overNode.append(el("p", {class: "notice", text: t("over")}));
      if (VIEW !== "participant" || (me && me.audience === "member")) {
        overNode.append(el("p", {}, [el("a", {class: "button", href: config.minutes, text: t("minutes")})]));
      }
    }
    renderPresence();
  }

  function currentItemBox() {
    const item = state.agenda.find((a) => a.id === state.session.current_agenda_item);
    const box = el("div", {class: "current-item"});
    if (!item) {
      box.append(el("p", {class: "hint", text: t("no_current")}));
      return box;
    }
    if (VIEW === "projector") box.append(el("p", {class: "eyebrow", text: t("now")}));
    box.append(el("p", {class: "current-title", text: item.title}));
    if (item.notes && VIEW !== "projector") box.append(el("p", {class: "notes", text: item.notes}));
    return box;
  }

  function questionsSorted() {
    return state.questions.filter((q) => q.state !== "hidden" && q.state !== "pending")
      .slice().sort((a, b) => b.upvotes - a.upvotes || a.id - b.id);
  }

  function questionItem(question, actions) {
    return el("li", {class: "question question-" + question.state}, [
      el("p", {class: "question-text", text: question.text}),
      el("p", {class: "question-meta"}, [question.author + " · " + t("upvotes", {n: question.upvotes}),
        question.state === "answered" ? " · " + t("answered") : ""]),
      actions || null]);
  }

  function decisionsList(decisions) {
    if (!decisions.length) return el("p", {class: "hint", text: t("no_decisions")});
    return el("ul", {class: "decisions"}, decisions.map((d) => el("li", {}, [d.text, " ",
      el("span", {class: "badge", text: t("visibility_" + d.visibility)})])));
  }

  function actionText(action) {
    return action.owner + " · " + action.due_on + " · " + t("status_" + action.status);
  }

  // --- participant -------------------------------------------------------------------------------

  const participant = {};

  function buildParticipant() {
    participant.now = section("now", t("now"));
    participant.polls = section("polls", t("polls"));
    participant.pollList = el("div", {class: "poll-list"});
    participant.noPolls = el("p", {class: "hint", text: t("no_polls")});
    participant.polls.body.append(participant.noPolls, participant.pollList);
    participant.questions = section("questions", t("questions"));
    const text = el("textarea", {id: "ask-text", rows: 2, maxlength: 500, required: true});
    const ask = el("form", {class: "ask", novalidate: true}, [
      el("label", {for: "ask-text", text: t("ask_label")}), text,
      el("button", {type: "submit", text: t("ask")})]);
    ask.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!text.value.trim()) { ui.error = t("need_question"); render(); return; }
      send("question.ask", {text: text.value.trim(), agenda_item: state.session.current_agenda_item});
      text.value = "";
    });
    participant.waiting = el("ul", {class: "waiting"});
    participant.questionList = el("ol", {class: "questions"});
    participant.questions.body.append(ask, participant.waiting, participant.questionList);
    participant.decisions = section("decisions", t("decisions"));
    participant.actions = section("actions", t("actions"));
    root.append(errorNode, overNode, presenceNode, participant.now, participant.polls, participant.questions,
      participant.decisions, participant.actions);
  }

  function renderParticipant() {
    clear(participant.now.body).append(currentItemBox());
    const shown = state.polls.filter((p) => p.state === "open" || p.results || me.votes[String(p.id)] !== undefined);
    keyed(participant.pollList, shown.slice().reverse(), (p) => p.id,
      (p) => pollSignature(p, false), (p) => pollCard(p, false));
    participant.noPolls.hidden = shown.length > 0;
    clear(participant.waiting);
    const shownIds = new Set(state.questions.map((q) => q.id));
    me.questions.filter((q) => !shownIds.has(q.id)).forEach((q) => participant.waiting.append(el("li", {}, [q.text, " ",
      el("span", {class: "badge", text: t("waiting")})])));
    // One's own question gets no upvote button: the server refuses it (own_question).
    keyed(participant.questionList, questionsSorted(), (q) => q.id,
      (q) => JSON.stringify([q, me.upvoted.indexOf(q.id) !== -1, me.asked.indexOf(q.id) !== -1]), (q) => {
        if (me.asked.indexOf(q.id) !== -1) return questionItem(q, el("p", {class: "hint", text: t("your_question")}));
        const done = me.upvoted.indexOf(q.id) !== -1;
        return questionItem(q, el("button", {type: "button", class: "secondary upvote", "aria-pressed": String(done),
          disabled: done || state.session.state !== "live", text: done ? t("upvoted") : t("upvote"),
          "aria-label": t("upvote_label", {text: q.text}),
          onclick: () => send("question.upvote", {question: q.id})}));
      });
    clear(participant.decisions.body).append(decisionsList(state.decisions));
    participant.actions.hidden = me.audience !== "member";
    clear(participant.actions.body).append(state.actions.length
      ? el("ul", {class: "actions-list"}, state.actions.map((a) => el("li", {}, [
        el("span", {text: a.text}), el("span", {class: "hint", text: " · " + actionText(a)})])))
      : el("p", {class: "hint", text: t("no_actions")}));
  }

  // --- host --------------------------------------------------------------------------------------

  const host = {};

  function agendaSelect(id) {
    const select = el("select", {id: id, class: "agenda-select"});
    return select;
  }

  function fillAgendaSelects() {
    root.querySelectorAll("select.agenda-select").forEach((select) => {
      const value = select.value;
      clear(select).append(el("option", {value: "", text: t("no_item")}),
        ...state.agenda.map((a) => el("option", {value: a.id, text: a.title})));
      select.value = Array.from(select.options).some((o) => o.value === value) ? value
        : String(state.session.current_agenda_item || "");
    });
  }

  function itemValue(select) {
    return select.value ? Number(select.value) : null;
  }

  function field(id, label, control, hint) {
    return el("div", {class: "field"}, [el("label", {for: id, text: label}), control,
      hint ? el("p", {class: "hint", text: hint}) : null]);
  }

  function hostPollButtons(poll) {
    const buttons = el("div", {class: "poll-buttons"});
    if (poll.state === "draft") {
      buttons.append(el("button", {type: "button", text: t("open_poll"),
        onclick: () => send("poll.open", {poll: poll.id})}));
    }
    if (poll.state === "open") {
      buttons.append(el("button", {type: "button", text: t("close_poll"),
        onclick: () => send("poll.close", {poll: poll.id})}));
    }
    if (poll.state !== "draft") {
      buttons.append(el("button", {type: "button", class: "secondary", "aria-pressed": String(poll.revealed),
        text: poll.revealed ? t("hide_results") : t("show_results"),
        onclick: () => send("poll.reveal", {poll: poll.id, revealed: !poll.revealed})}));
    }
    return buttons;
  }

  function buildPollForms() {
    const kind = el("select", {id: "poll-kind"}, ["single", "multiple", "ranking", "scale", "words"].map((k) =>
      el("option", {value: k, text: t("kind_" + k)})));
    const question = el("input", {type: "text", id: "poll-question", maxlength: 300});
    const options = el("textarea", {id: "poll-options", rows: 4});
    const max = el("input", {type: "number", id: "poll-max", min: 1, max: 20, inputmode: "numeric"});
    const item = agendaSelect("poll-item");
    const optionsField = field("poll-options", t("options"), options, t("options_hint"));
    const maxField = field("poll-max", t("max_choices"), max);
    const sync = () => {
      optionsField.hidden = kind.value === "scale" || kind.value === "words";
      maxField.hidden = kind.value !== "multiple";
    };
    kind.addEventListener("change", sync);
    sync();
    const form = el("form", {class: "poll-form", novalidate: true}, [
      field("poll-kind", t("kind"), kind), field("poll-question", t("question"), question),
      optionsField, maxField, field("poll-item", t("agenda_item"), item),
      el("button", {type: "submit", text: t("create_poll")})]);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const fields = {kind: kind.value, question: question.value.trim(), agenda_item: itemValue(item)};
      if (!optionsField.hidden) fields.options = options.value.split("\n").map((o) => o.trim()).filter(Boolean);
      if (!maxField.hidden && max.value) fields.max_choices = Number(max.value);
      send("poll.create", fields);
      question.value = "";
      options.value = "";
    });
    const source = el("select", {id: "data-source"}, [el("option", {value: "gaps", text: t("source_gaps")}),
      el("option", {value: "needs", text: t("source_needs")})]);
    const limit = el("input", {type: "number", id: "data-limit", min: 2, max: 10, value: 5, inputmode: "numeric"});
    const dataItem = agendaSelect("data-item");
    const fromData = el("form", {class: "poll-form data-form", novalidate: true}, [
      el("p", {class: "hint", text: t("from_data_hint")}),
      field("data-source", t("source"), source), field("data-limit", t("limit"), limit),
      field("data-item", t("agenda_item"), dataItem),
      el("button", {type: "submit", text: t("create_from_data")})]);
    fromData.addEventListener("submit", (event) => {
      event.preventDefault();
      send("poll.create_from_data", {source: source.value, limit: Number(limit.value),
        agenda_item: itemValue(dataItem)});
    });
    return el("div", {class: "poll-forms"}, [
      el("details", {class: "tool", open: true}, [el("summary", {text: t("new_poll")}), form]),
      el("details", {class: "tool"}, [el("summary", {text: t("from_data")}), fromData])]);
  }

  function notesEditor(item) {
    const id = "notes-" + item.id;
    const area = el("textarea", {id: id, rows: 4, maxlength: 10000, "data-notes": item.id});
    area.value = ui.noteDrafts[item.id] !== undefined ? ui.noteDrafts[item.id] : item.notes;
    area.dataset.revision = item.revision;
    area.dataset.dirty = ui.noteDrafts[item.id] !== undefined ? "1" : "";
    area.addEventListener("input", () => { area.dataset.dirty = "1"; ui.noteDrafts[item.id] = area.value; });
    const current = state.session.current_agenda_item === item.id;
    const form = el("form", {class: "notes-form", novalidate: true}, [
      el("label", {for: id, text: t("notes_for", {title: item.title})}), area,
      el("button", {type: "submit", class: "secondary", text: t("save_notes")})]);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      send("note.set", {agenda_item: item.id, text: area.value, revision: Number(area.dataset.revision)});
    });
    return el("li", {class: current ? "current" : ""}, [
      el("div", {class: "agenda-row"}, [el("span", {class: "agenda-title", text: item.title}),
        el("button", {type: "button", class: "secondary", "aria-pressed": String(current),
          text: current ? t("showing") : t("show_now"),
          onclick: () => send("agenda.goto", {agenda_item: current ? null : item.id})})]),
      el("details", {}, [el("summary", {text: t("notes")}), form])]);
  }

  function buildHost() {
    host.join = section("join", t("join_title"), "join-info");
    host.join.body.append(el("p", {class: "join-line"}, [t("code") + " ",
      el("strong", {class: "join-code", text: config.joinCode})]),
    el("p", {class: "hint"}, [t("code_at") + " ", el("code", {text: config.codeUrl})]),
    el("p", {class: "hint"}, [t("link") + " ", el("code", {text: config.joinUrl})]),
    el("p", {}, [el("a", {href: config.projectorUrl, class: "button secondary", target: "_blank", rel: "noopener",
      text: t("projector")})]));
    host.agenda = section("agenda", t("agenda"));
    host.agendaList = el("ol", {class: "live-agenda"});
    host.agenda.body.append(host.agendaList);
    host.polls = section("polls", t("polls"), "wide");
    host.pollList = el("div", {class: "poll-list"});
    host.segments = el("div", {});
    host.polls.body.append(buildPollForms(), host.segments, host.pollList);
    host.questions = section("questions", t("questions"));
    host.pending = el("ul", {class: "questions pending"});
    host.pendingBox = el("div", {}, [el("h3", {text: t("pending")}), host.pending]);
    host.questionList = el("ol", {class: "questions"});
    host.noQuestions = el("p", {class: "hint", text: t("no_questions")});
    host.questions.body.append(host.pendingBox, el("h3", {text: t("visible")}), host.noQuestions, host.questionList);
    host.settings = section("settings", t("settings"));
    const premoderate = el("input", {type: "checkbox", id: "set-premoderate"});
    const anonymous = el("input", {type: "checkbox", id: "set-anonymous"});
    const change = () => send("session.settings",
      {premoderate: premoderate.checked, allow_anonymous: anonymous.checked});
    premoderate.addEventListener("change", change);
    anonymous.addEventListener("change", change);
    host.premoderate = premoderate;
    host.anonymous = anonymous;
    host.settings.body.append(el("div", {class: "field checkbox"}, [premoderate, " ",
      el("label", {for: "set-premoderate", text: t("premoderate")})]),
    el("div", {class: "field checkbox"}, [anonymous, " ", el("label", {for: "set-anonymous", text: t("anonymous")})]));
    host.decisions = section("decisions", t("decisions"));
    host.decisionList = el("div", {});
    host.decisions.body.append(el("details", {class: "tool"}, [el("summary", {text: t("add_decision")}),
      buildDecisionForm()]), host.decisionList);
    host.actions = section("actions", t("actions"));
    host.actionList = el("ul", {class: "actions-list"});
    host.actions.body.append(el("details", {class: "tool"}, [el("summary", {text: t("add_action")}),
      buildActionForm()]), host.actionList);
    host.close = section("close", t("close_title"));
    host.close.body.append(el("button", {type: "button", class: "danger", text: t("close_session"), onclick: () => {
      if (window.confirm(t("close_confirm"))) send("session.close", {});
    }}));
    root.append(errorNode, overNode, presenceNode, host.join, host.agenda, host.polls, host.questions, host.settings,
      host.decisions, host.actions, host.close);
  }

  function buildDecisionForm() {
    const text = el("textarea", {id: "decision-text", rows: 2});
    const visibility = el("select", {id: "decision-visibility"}, [
      el("option", {value: "members", text: t("visibility_members")}),
      el("option", {value: "public", text: t("visibility_public")})]);
    const item = agendaSelect("decision-item");
    const form = el("form", {class: "item-form", novalidate: true}, [field("decision-text", t("decision"), text),
      field("decision-visibility", t("visibility"), visibility), field("decision-item", t("agenda_item"), item),
      el("button", {type: "submit", text: t("add_decision")})]);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      send("decision.add", {text: text.value.trim(), visibility: visibility.value, agenda_item: itemValue(item)});
      text.value = "";
    });
    return form;
  }

  function buildActionForm() {
    const text = el("textarea", {id: "action-text", rows: 2});
    const due = el("input", {type: "date", id: "action-due"});
    const owner = el("select", {id: "action-owner"}, [el("option", {value: "", text: t("choose_owner")})].concat(
      (config.owners || []).map(([key, label]) => el("option", {value: key, text: label}))));
    const item = agendaSelect("action-item");
    const form = el("form", {class: "item-form", novalidate: true}, [field("action-text", t("action"), text),
      field("action-owner", t("owner"), owner), field("action-due", t("due_on"), due),
      field("action-item", t("agenda_item"), item), el("button", {type: "submit", text: t("add_action")})]);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      send("action.add",
        {text: text.value.trim(), due_on: due.value, owner: owner.value, agenda_item: itemValue(item)});
      text.value = "";
    });
    return form;
  }

  function renderHost() {
    keyed(host.agendaList, state.agenda, (a) => a.id,
      (a) => a.title + "|" + (state.session.current_agenda_item === a.id), notesEditor);
    host.agendaList.querySelectorAll("textarea[data-notes]").forEach((area) => {
      const item = state.agenda.find((a) => a.id === Number(area.dataset.notes));
      if (item && !area.dataset.dirty) {
        area.value = item.notes;
        area.dataset.revision = item.revision;
      }
    });
    fillAgendaSelects();
    clear(host.segments).append(segmentSwitch());
    keyed(host.pollList, state.polls.slice().reverse(), (p) => p.id,
      (p) => pollSignature(p, true), (p) => pollCard(p, true));
    const moderate = (q, actions) => el("div", {class: "moderation"}, actions.map(([action, label]) => el("button", {
      type: "button", class: action === "hide" ? "secondary danger-text" : "secondary", text: t(label),
      onclick: () => send("question.moderate", {question: q.id, action: action})})));
    const waiting = state.questions.filter((q) => q.state === "pending");
    keyed(host.pending, waiting, (q) => q.id, (q) => JSON.stringify(q), (q) => questionItem(q, moderate(q,
      [["approve", "approve"], ["hide", "hide"]])));
    host.pendingBox.hidden = !waiting.length;
    host.noQuestions.hidden = questionsSorted().length > 0;
    keyed(host.questionList, questionsSorted(), (q) => q.id, (q) => JSON.stringify(q), (q) => questionItem(q,
      moderate(q, q.state === "answered" ? [["hide", "hide"]] : [["answered", "mark_answered"], ["hide", "hide"]])));
    host.premoderate.checked = state.session.premoderate;
    host.anonymous.checked = state.session.allow_anonymous;
    clear(host.decisionList).append(decisionsList(state.decisions));
    keyed(host.actionList, state.actions, (a) => a.id, (a) => JSON.stringify(a), (a) => {
      const id = "action-status-" + a.id;
      const select = el("select", {id: id}, ["open", "in_progress", "done"].map((s) => el("option", {value: s,
        text: t("status_" + s), selected: a.status === s})));
      select.addEventListener("change", () => send("action.status", {action: a.id, status: select.value}));
      return el("li", {}, [el("span", {text: a.text}),
        el("span", {class: "hint", text: " · " + a.owner + " · " + a.due_on}),
        el("label", {for: id, class: "visually-hidden", text: t("status_of", {text: a.text})}), select]);
    });
    host.close.hidden = state.session.state === "closed";
  }

  // --- projector ---------------------------------------------------------------------------------

  const projector = {};

  function buildProjector() {
    projector.join = el("div", {class: "projector-join"}, [
      el("p", {text: t("join_at")}), el("p", {class: "projector-url", text: config.codeUrl}),
      el("p", {class: "projector-code", text: config.joinCode})]);
    projector.now = el("div", {class: "projector-now"});
    projector.poll = el("div", {class: "projector-poll"});
    projector.questions = el("div", {class: "projector-questions"});
    root.append(errorNode, overNode, projector.join, presenceNode, projector.now, projector.poll, projector.questions);
  }

  function renderProjector() {
    clear(projector.now).append(currentItemBox());
    const shown = state.polls.filter((p) => p.state !== "draft" && p.results);
    const poll = shown[shown.length - 1];
    clear(projector.poll);
    if (poll) {
      projector.poll.append(el("h2", {text: poll.question}), renderResults(poll, poll.results, "all"));
    } else {
      const open = state.polls.filter((p) => p.state === "open");
      if (open.length) {
        const last = open[open.length - 1];
        projector.poll.append(el("h2", {text: last.question}), el("p", {class: "big-count",
          text: answers(last.answers)}));
      }
    }
    const top = questionsSorted().filter((q) => q.state === "visible").slice(0, 5);
    clear(projector.questions);
    if (top.length) {
      projector.questions.append(el("h2", {text: t("top_questions")}), el("ol", {class: "questions"},
        top.map((q) => questionItem(q))));
    }
  }

  // --- render -------------------------------------------------------------------------------------

  const renderers = {participant: renderParticipant, host: renderHost, projector: renderProjector};

  function render() {
    renderCommon();
    if (state) renderers[VIEW]();
  }

  ({participant: buildParticipant, host: buildHost, projector: buildProjector})[VIEW]();
  renderCommon();
  connect();
})();
