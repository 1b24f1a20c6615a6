// The live session's state machine (docs/live-protocol.md, *Events*): applyEvent(state, event)
// returns the next state and never changes its input. The browser's live.js and the test harness
// (tests/dialogues/live/test_event_application.py) run this same code.
(function (root) {
  "use strict";

  function clone(value) {
    return JSON.parse(JSON.stringify(value));
  }

  // Insert `row` at its id's place in a list kept in id order, replacing a row with the same id.
  function upsert(rows, row) {
    const kept = rows.filter((r) => r.id !== row.id);
    const at = kept.findIndex((r) => r.id > row.id);
    kept.splice(at === -1 ? kept.length : at, 0, row);
    return kept;
  }

  function remove(rows, id) {
    return rows.filter((r) => r.id !== id);
  }

  const handlers = {
    "noop": (s) => s,
    "session.updated": (s, e) => { s.session = e.session; return s; },
    "agenda.updated": (s, e) => { s.agenda = e.agenda; return s; },
    "agenda.current": (s, e) => { s.session.current_agenda_item = e.agenda_item; return s; },
    "note.updated": (s, e) => {
      s.agenda = s.agenda.map((item) => (item.id === e.agenda_item
        ? Object.assign({}, item, {notes: e.notes, revision: e.revision}) : item));
      return s;
    },
    "poll.created": (s, e) => { s.polls = upsert(s.polls, e.poll); return s; },
    "poll.updated": (s, e) => { s.polls = upsert(s.polls, e.poll); return s; },
    "poll.tally": (s, e) => {
      const byId = new Map(e.polls.map((p) => [p.id, p]));
      s.polls = s.polls.map((poll) => (byId.has(poll.id)
        ? Object.assign({}, poll, {answers: byId.get(poll.id).answers, results: byId.get(poll.id).results})
        : poll));
      return s;
    },
    "question.added": (s, e) => { s.questions = upsert(s.questions, e.question); return s; },
    "question.updated": (s, e) => { s.questions = upsert(s.questions, e.question); return s; },
    "question.removed": (s, e) => { s.questions = remove(s.questions, e.question); return s; },
    "question.tally": (s, e) => {
      s.questions = s.questions.map((q) => (Object.prototype.hasOwnProperty.call(e.upvotes, String(q.id))
        ? Object.assign({}, q, {upvotes: e.upvotes[String(q.id)]}) : q));
      return s;
    },
    "decision.added": (s, e) => { s.decisions = upsert(s.decisions, e.decision); return s; },
    "decision.updated": (s, e) => { s.decisions = upsert(s.decisions, e.decision); return s; },
    "decision.removed": (s, e) => { s.decisions = remove(s.decisions, e.decision); return s; },
    "action.added": (s, e) => { s.actions = upsert(s.actions, e.action); return s; },
    "action.updated": (s, e) => { s.actions = upsert(s.actions, e.action); return s; },
  };

  function applyEvent(state, event) {
    const handler = handlers[event.type];
    if (!handler) throw new Error("unknown event type: " + event.type);
    return handler(clone(state), event);
  }

  root.MatchplatsLive = Object.assign(root.MatchplatsLive || {},
    {applyEvent: applyEvent, eventTypes: Object.keys(handlers)});
})(typeof window !== "undefined" ? window : globalThis);
