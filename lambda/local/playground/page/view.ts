/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { type CallAnswer, type Condition, type ConnectionDetails, showValue } from './api.js';

/** The panels under the chart: what happened, the exact exchange, what to paste into StackState. */

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
}

function cell(text: string, className?: string): HTMLTableCellElement {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

/** The PromQL the mirror sent and every upstream call, from the playground's trace. */
export function showHappened(answer: CallAnswer): void {
  const promql = answer.upstream.flatMap((call) =>
    call.params.filter(([name]) => name === 'query' || name === 'match[]').map(([, v]) => v),
  );
  byId('promql').textContent =
    promql.length > 0 ? [...new Set(promql)].join('\n') : '(no PromQL sent: the mirror answered before calling the store)';
  const rows = answer.upstream.map((call) => {
    const row = document.createElement('tr');
    const endpoint = call.url.replace(/^.*\/api\/v1\//, '');
    const params = call.params.map(([name, value]) => `${name}=${value}`).join('  ');
    row.append(
      cell(`${call.method} ${endpoint}${call.signed ? ' (SigV4)' : ''}`),
      cell(
        call.status !== undefined ? String(call.status) : (call.error ?? 'no answer'),
        call.status === undefined || call.status >= 400 ? 'bad' : '',
      ),
      cell(String(call.ms)),
      cell(call.bytes !== undefined ? String(call.bytes) : ''),
      cell(params, 'params'),
    );
    return row;
  });
  byId('upstream')
    .querySelector('tbody')
    ?.replaceChildren(...rows);
}

/** The request as sent and the answer as StackState gets it: status, type, body. */
export function showExchange(request: unknown, answer: CallAnswer): void {
  byId('request-json').textContent = JSON.stringify(request, null, 2);
  byId('answer-status').textContent = `HTTP ${answer.status} · ${answer.ms} ms · ${answer.body.length} bytes`;
  byId('answer-json').textContent = answer.json !== undefined ? JSON.stringify(answer.json, null, 2) : answer.body;
}

export function showPaste(details: ConnectionDetails, conditions: Condition[], link: string): void {
  byId('details-json').textContent = JSON.stringify(details, null, 2);
  const rows = conditions.map((c) => {
    const row = document.createElement('tr');
    row.append(cell(c.key), cell(`${showValue(c.value)}  (${c.value._type})`));
    return row;
  });
  byId('conditions')
    .querySelector('tbody')
    ?.replaceChildren(...rows);
  byId<HTMLInputElement>('share').value = link;
}

/** An error exactly as StackState would receive it (status and typed body), with its message up front. */
export function showError(answer: CallAnswer | undefined, message?: string): void {
  const box = byId('error');
  box.hidden = false;
  box.replaceChildren();
  const title = document.createElement('strong');
  const body = answer?.json as Record<string, unknown> | undefined;
  title.textContent = answer
    ? `StackState gets HTTP ${answer.status} ${String(body?._type ?? '')}`
    : 'The playground could not ask the mirror';
  const text = document.createElement('p');
  text.textContent = message ?? String(body?.details ?? body?.summary ?? answer?.body ?? '');
  box.append(title, text);
  if (answer) {
    const pre = document.createElement('pre');
    pre.textContent = answer.json !== undefined ? JSON.stringify(answer.json, null, 2) : answer.body;
    box.append(pre);
  }
}

export function hideError(): void {
  byId('error').hidden = true;
}

/** The condition chips; `remove(i)` is called when one's × is clicked. */
export function showChips(labels: Condition[], remove: (index: number) => void): void {
  const chips = labels.map((c, index) => {
    const chip = document.createElement('li');
    chip.className = 'chip';
    chip.textContent = `${c.key} = ${showValue(c.value)}`;
    const x = document.createElement('button');
    x.type = 'button';
    x.textContent = '×';
    x.title = `remove ${c.key}`;
    x.addEventListener('click', () => remove(index));
    chip.append(x);
    return chip;
  });
  byId('chips').replaceChildren(...chips);
}

export function setupTabs(): void {
  const buttons = document.querySelectorAll<HTMLButtonElement>('nav [data-tab]');
  for (const button of buttons) {
    button.addEventListener('click', () => {
      for (const other of buttons) other.classList.toggle('active', other === button);
      for (const pane of document.querySelectorAll<HTMLElement>('[data-pane]')) pane.hidden = pane.dataset.pane !== button.dataset.tab;
    });
  }
}
