// Web chat of the Telegram sandbox (runs in the browser, no build step). It follows the
// chat through the event stream and acts through the control API. Bot messages are
// rendered from their text and entities with DOM nodes only, so nothing the bot sends is
// ever parsed as HTML.

const query = new URLSearchParams(window.location.search);
const userId = /^\d{1,15}$/.test(query.get('user') ?? '') ? query.get('user') : '1001';
const firstName = (query.get('name') || (userId === '1001' ? 'Alex' : `User ${userId}`)).slice(
  0,
  64,
);
const base = `/__sandbox/users/${userId}`;

const log = document.getElementById('log');
const input = document.getElementById('input');
const sendButton = document.getElementById('send');
const statusLine = document.getElementById('status');
const toast = document.getElementById('toast');
const menuButton = document.getElementById('menu');
const commandList = document.getElementById('commands');
const alertDialog = document.getElementById('alert');
const bubbles = new Map();
let typingTimer;
let toastTimer;
let connected = false;

document.getElementById('me').textContent = `You: ${firstName} · ${userId}`;
document.title = `Tidings — chat as ${firstName}`;

const TAGS = {
  bold: 'strong',
  italic: 'em',
  underline: 'u',
  strikethrough: 's',
  code: 'code',
  pre: 'pre',
  blockquote: 'blockquote',
  expandable_blockquote: 'blockquote',
};

function safeHref(url) {
  try {
    const parsed = new URL(url, window.location.href);
    return ['http:', 'https:', 'mailto:'].includes(parsed.protocol) ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

function elementFor(entity, text) {
  if (TAGS[entity.type]) return document.createElement(TAGS[entity.type]);
  if (entity.type === 'bot_command') {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'command';
    button.addEventListener('click', () => sendText(text.replace(/@\w+$/, '')));
    return button;
  }
  if (entity.type === 'spoiler') {
    const span = document.createElement('span');
    span.className = 'spoiler';
    span.tabIndex = 0;
    span.setAttribute('role', 'button');
    span.setAttribute('aria-label', 'Hidden text, activate to reveal');
    const reveal = () => {
      span.classList.add('revealed');
      span.removeAttribute('role');
      span.removeAttribute('aria-label');
      span.removeAttribute('tabindex');
    };
    span.addEventListener('click', reveal);
    span.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') reveal();
    });
    return span;
  }
  const href =
    entity.type === 'text_link'
      ? safeHref(entity.url)
      : entity.type === 'url'
        ? safeHref(text)
        : undefined;
  if (href) {
    const link = document.createElement('a');
    link.href = href;
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    return link;
  }
  return document.createElement('span');
}

/** Builds the nodes of text[start, end) with the entities inside it (sorted, nested). */
function build(text, start, end, entities) {
  const fragment = document.createDocumentFragment();
  let position = start;
  let i = 0;
  while (i < entities.length) {
    const entity = entities[i];
    const from = Math.max(entity.offset, position);
    const to = Math.min(entity.offset + entity.length, end);
    let j = i + 1;
    while (j < entities.length && entities[j].offset < to) j += 1;
    if (to > from) {
      fragment.append(text.slice(position, from));
      const element = elementFor(entity, text.slice(from, to));
      element.append(build(text, from, to, entities.slice(i + 1, j)));
      fragment.append(element);
      position = to;
    }
    i = j;
  }
  fragment.append(text.slice(position, end));
  return fragment;
}

function renderText(text, entities) {
  const sorted = [...(entities ?? [])].sort((a, b) => a.offset - b.offset || b.length - a.length);
  return build(text, 0, text.length, sorted);
}

function timeOf(date) {
  return new Date(date * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function keyboardFor(item) {
  const rows = item.reply_markup?.inline_keyboard;
  if (!Array.isArray(rows) || rows.length === 0) return undefined;
  const keyboard = document.createElement('div');
  keyboard.className = 'keyboard';
  keyboard.setAttribute('role', 'group');
  keyboard.setAttribute('aria-label', 'Message buttons');
  for (const row of rows) {
    const line = document.createElement('div');
    line.className = 'keyrow';
    for (const button of row) line.append(keyFor(item.message_id, button));
    keyboard.append(line);
  }
  return keyboard;
}

/** A login button opens through the sandbox, which adds this user's signed login data. */
function loginHref(messageId, button) {
  if (typeof button.login_url?.url !== 'string') return undefined;
  const press = new URLSearchParams({ message_id: String(messageId), text: button.text });
  return `${base}/login-url?${press}`;
}

function keyFor(messageId, button) {
  const href = typeof button.url === 'string' ? safeHref(button.url) : loginHref(messageId, button);
  if (href) {
    const link = document.createElement('a');
    link.className = 'key';
    link.href = href;
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    link.textContent = button.text;
    const mark = document.createElement('span');
    mark.className = 'external';
    mark.setAttribute('aria-label', '(opens in a new tab)');
    mark.textContent = '↗';
    link.append(mark);
    return link;
  }
  const key = document.createElement('button');
  key.type = 'button';
  key.className = 'key';
  key.textContent = button.text;
  if (typeof button.callback_data === 'string') {
    key.addEventListener('click', () => press(key, messageId, button.callback_data));
  } else {
    key.disabled = true;
  }
  return key;
}

function render(item) {
  const wrapper = document.createElement('div');
  wrapper.className = `msg ${item.from}`;
  wrapper.dataset.id = String(item.message_id);
  const bubble = document.createElement('div');
  bubble.className = 'bubble';
  const who = document.createElement('span');
  who.className = 'sr-only';
  who.textContent = item.from === 'bot' ? 'Tidings: ' : 'You: ';
  const body = document.createElement('span');
  body.className = 'text';
  body.append(renderText(item.text, item.entities));
  const meta = document.createElement('span');
  meta.className = 'meta';
  meta.textContent = `${item.edited ? 'edited ' : ''}${timeOf(item.date)}`;
  bubble.append(who, body, meta);
  wrapper.append(bubble);
  const keyboard = keyboardFor(item);
  if (keyboard) wrapper.append(keyboard);
  return wrapper;
}

function upsert(item) {
  log.querySelector('.empty')?.remove();
  const element = render(item);
  const existing = bubbles.get(item.message_id);
  if (existing) {
    existing.replaceWith(element);
  } else {
    const after = [...bubbles.keys()].filter((id) => id > item.message_id).sort((a, b) => a - b)[0];
    if (after === undefined) log.append(element);
    else bubbles.get(after).before(element);
  }
  bubbles.set(item.message_id, element);
  if (!existing) log.scrollTop = log.scrollHeight;
}

function showEmpty() {
  const empty = document.createElement('p');
  empty.className = 'empty';
  empty.textContent = 'No messages yet. Say hello, or send /start.';
  log.append(empty);
}

function setStatus(text, typing = false) {
  statusLine.textContent = text;
  statusLine.classList.toggle('typing', typing);
}

function showTyping(action) {
  clearTimeout(typingTimer);
  setStatus(action === 'typing' ? 'typing…' : `${action.replaceAll('_', ' ')}…`, true);
  typingTimer = setTimeout(() => setStatus(connected ? 'bot' : 'connecting…'), 5000);
}

function stopTyping() {
  clearTimeout(typingTimer);
  setStatus(connected ? 'bot' : 'connecting…');
}

function showToast(text) {
  clearTimeout(toastTimer);
  toast.textContent = text;
  toast.hidden = false;
  toastTimer = setTimeout(() => {
    toast.hidden = true;
  }, 3500);
}

function showAlert(text) {
  document.getElementById('alert-text').textContent = text;
  if (typeof alertDialog.showModal === 'function' && !alertDialog.open) alertDialog.showModal();
}

async function post(path, body) {
  const response = await fetch(`${base}/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new Error(problem.error ?? `HTTP ${response.status}`);
  }
  return response.json();
}

async function sendText(text) {
  const trimmed = text.trim();
  if (!trimmed) return;
  try {
    await post('messages', { text: trimmed, first_name: firstName });
  } catch (error) {
    showToast(`Not sent: ${error.message}`);
  }
}

async function press(key, messageId, data) {
  key.setAttribute('aria-busy', 'true');
  try {
    await post('callbacks', { message_id: messageId, data });
  } catch {
    showToast('This button is no longer available.');
  } finally {
    setTimeout(() => key.removeAttribute('aria-busy'), 600);
  }
}

function setCommands(commands) {
  commandList.replaceChildren();
  for (const { command, description } of commands) {
    const item = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    const name = document.createElement('span');
    name.className = 'cmd';
    name.textContent = `/${command}`;
    button.append(name, description);
    button.addEventListener('click', () => {
      toggleMenu(false);
      sendText(`/${command}`);
      input.focus();
    });
    item.append(button);
    commandList.append(item);
  }
  menuButton.hidden = commands.length === 0;
  if (commands.length === 0) toggleMenu(false);
}

function toggleMenu(open) {
  commandList.hidden = !open;
  menuButton.setAttribute('aria-expanded', String(open));
}

function autosize() {
  input.style.height = 'auto';
  input.style.height = `${Math.min(input.scrollHeight + 2, 144)}px`;
  sendButton.disabled = input.value.trim() === '';
}

document.getElementById('composer').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = input.value;
  input.value = '';
  autosize();
  sendText(text);
  input.focus();
});
input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    document.getElementById('composer').requestSubmit();
  }
});
input.addEventListener('input', autosize);
menuButton.addEventListener('click', () => toggleMenu(commandList.hidden));
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && !commandList.hidden) {
    toggleMenu(false);
    menuButton.focus();
  }
});

const events = new EventSource(`${base}/events`);
const data = (event) => JSON.parse(event.data);
events.addEventListener('open', () => {
  connected = true;
  setStatus('bot');
});
events.addEventListener('error', () => {
  connected = false;
  setStatus('connecting…');
});
events.addEventListener('snapshot', (event) => {
  const { messages, commands } = data(event);
  log.replaceChildren();
  bubbles.clear();
  if (messages.length === 0) showEmpty();
  for (const item of messages) upsert(item);
  setCommands(commands);
  document.body.dataset.ready = 'true';
});
events.addEventListener('user-message', (event) => upsert(data(event)));
events.addEventListener('bot-message', (event) => {
  stopTyping();
  upsert(data(event));
});
events.addEventListener('edit', (event) => upsert(data(event)));
events.addEventListener('delete', (event) => {
  const { message_id } = data(event);
  bubbles.get(message_id)?.remove();
  bubbles.delete(message_id);
});
events.addEventListener('action', (event) => showTyping(data(event).action));
events.addEventListener('callback-answer', (event) => {
  const answer = data(event);
  if (!answer.text) return;
  if (answer.show_alert) showAlert(answer.text);
  else showToast(answer.text);
});

// The demo's "Drop a new mail" button: shown only when the sandbox offers it.
const dropButton = document.getElementById('drop');
const mailDialog = document.getElementById('mail');
const mailForm = document.getElementById('mail-form');
const mailCanned = document.getElementById('mail-canned');
const mailFrom = document.getElementById('mail-from');
const mailSubject = document.getElementById('mail-subject');
const mailError = document.getElementById('mail-error');
let mailOffer;

async function offerMail() {
  const response = await fetch('/__sandbox/demo/mail').catch(() => undefined);
  const offer = response?.ok ? await response.json().catch(() => undefined) : undefined;
  if (!offer?.offered) {
    document.body.dataset.mail = 'none';
    return;
  }
  mailOffer = offer;
  mailCanned.replaceChildren();
  mailOffer.canned.forEach((mail, index) => {
    const option = document.createElement('option');
    option.value = String(index);
    option.textContent = `${mail.subject} — ${mail.from}`;
    mailCanned.append(option);
  });
  const own = document.createElement('option');
  own.value = '';
  own.textContent = 'Write your own…';
  mailCanned.append(own);
  document.getElementById('mail-to').textContent =
    `Into the mailbox of ${mailOffer.to}; an alert follows within ${mailOffer.everySeconds} s if a watch matches it.`;
  dropButton.hidden = false;
  document.body.dataset.mail = 'offered';
}

function pickCanned() {
  const mail = mailOffer?.canned[Number(mailCanned.value)];
  mailFrom.value = mailCanned.value === '' || !mail ? '' : mail.from;
  mailSubject.value = mailCanned.value === '' || !mail ? '' : mail.subject;
}

dropButton.addEventListener('click', () => {
  mailError.hidden = true;
  pickCanned();
  if (typeof mailDialog.showModal === 'function') mailDialog.showModal();
  mailCanned.focus();
});
mailCanned.addEventListener('change', pickCanned);
document.getElementById('mail-cancel').addEventListener('click', () => mailDialog.close());
mailForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const send = document.getElementById('mail-send');
  send.disabled = true;
  try {
    const response = await fetch('/__sandbox/demo/mail', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: mailFrom.value, subject: mailSubject.value }),
    });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      throw new Error(problem.error ?? `HTTP ${response.status}`);
    }
    mailDialog.close();
    showToast(`New mail in ${mailOffer.to}: ${mailSubject.value}`);
  } catch (error) {
    mailError.textContent = `Not dropped: ${error.message}`;
    mailError.hidden = false;
  } finally {
    send.disabled = false;
  }
});
offerMail();
input.focus();
