/// <reference lib="dom" />
/// <reference lib="dom.iterable" />

/**
 * A small autocomplete: as the user types, `suggest(text)` is asked (debounced) and its
 * answers are listed under the input; a click, or Enter on the highlighted one, fills it.
 */
export function combobox(input: HTMLInputElement, suggest: (text: string) => Promise<string[]>): void {
  const box = input.parentElement as HTMLElement;
  const list = document.createElement('ul');
  list.className = 'suggestions';
  list.setAttribute('role', 'listbox');
  list.id = `${input.id}-suggestions`;
  list.hidden = true;
  box.append(list);
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-controls', list.id);
  input.setAttribute('aria-autocomplete', 'list');
  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = 0;
  let active = -1;

  const close = () => {
    list.hidden = true;
    active = -1;
    input.setAttribute('aria-expanded', 'false');
  };
  const pick = (value: string) => {
    // an answer still on its way must not reopen the list
    clearTimeout(timer);
    asked++;
    input.value = value;
    close();
  };
  const highlight = (index: number) => {
    const items = [...list.children] as HTMLElement[];
    active = items.length === 0 ? -1 : (index + items.length) % items.length;
    for (const [i, item] of items.entries()) item.setAttribute('aria-selected', String(i === active));
  };
  const refresh = () => {
    const ticket = ++asked;
    suggest(input.value).then(
      (values) => {
        if (ticket !== asked || document.activeElement !== input) return;
        list.replaceChildren(
          ...values.map((value) => {
            const item = document.createElement('li');
            item.setAttribute('role', 'option');
            item.textContent = value;
            item.addEventListener('mousedown', (event) => {
              event.preventDefault();
              pick(value);
            });
            return item;
          }),
        );
        list.hidden = values.length === 0;
        input.setAttribute('aria-expanded', String(!list.hidden));
        active = -1;
      },
      () => close(),
    );
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 150);
  });
  input.addEventListener('focus', refresh);
  input.addEventListener('blur', close);
  input.addEventListener('keydown', (event) => {
    if (list.hidden) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      highlight(active + (event.key === 'ArrowDown' ? 1 : -1));
    } else if (event.key === 'Enter' && active >= 0) {
      event.preventDefault();
      pick(list.children[active]?.textContent ?? '');
    } else if (event.key === 'Escape') {
      close();
    }
  });
}
