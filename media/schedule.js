// @ts-check
// The schedule view's script: draws the grid the extension sends
// (client/src/talks/scheduleModel.ts) as a table per day, time down the side
// and tracks (or rooms) across, and sends back clicks. Builds the DOM with
// textContent only, never HTML strings, so a talk title cannot inject markup.
(function () {
  // @ts-expect-error acquireVsCodeApi is given by the webview host.
  const vscode = acquireVsCodeApi();
  const root = /** @type {HTMLElement} */ (document.getElementById('schedule'));
  const LINK_LABELS = { slides: 'Slides', video: 'Video', page: 'Page' };

  /**
   * @param {string} tag
   * @param {string} [className]
   * @param {string} [text]
   */
  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** @param {any} cell */
  function talkCell(cell) {
    const box = element('article', 'talk' + (cell.needsNotes ? ' needs-notes' : ''));
    box.dataset.id = cell.id;
    const title = element('button', 'title', cell.title);
    title.type = 'button';
    title.title = 'Open this talk in the note';
    title.addEventListener('click', () => vscode.postMessage({ type: 'reveal', id: cell.id }));
    box.append(title);
    const facts = [cell.time, cell.room].filter(Boolean).join(' · ');
    if (facts) box.append(element('div', 'facts', facts));
    if (cell.speaker) box.append(element('div', 'speaker', cell.speaker));
    if (cell.links.length) {
      const links = element('div', 'links');
      for (const link of cell.links) {
        const anchor = element('a', 'link ' + link.kind, LINK_LABELS[/** @type {'slides'|'video'|'page'} */ (link.kind)] ?? link.kind);
        anchor.setAttribute('href', '#');
        anchor.title = link.url;
        anchor.addEventListener('click', (event) => {
          event.preventDefault();
          vscode.postMessage({ type: 'openLink', url: link.url });
        });
        links.append(anchor);
      }
      box.append(links);
    }
    if (cell.needsNotes) box.append(element('div', 'badge', 'needs notes'));
    return box;
  }

  /** @param {any} model */
  function draw(model) {
    root.replaceChildren();
    if (!model) {
      root.append(element('p', 'empty', 'This note is no longer a conference note.'));
      vscode.postMessage({ type: 'rendered', cells: 0, days: 0 });
      return;
    }
    root.append(element('h1', 'conference', model.title));
    let cells = 0;
    for (const day of model.days) {
      const section = element('section', 'day');
      if (day.name) section.append(element('h2', 'day-name', day.name));
      const table = element('table', 'grid');
      const head = element('tr');
      head.append(element('th', 'time-head', 'Time'));
      for (const column of day.columns) head.append(element('th', 'column-head', column || 'Talks'));
      const thead = element('thead');
      thead.append(head);
      table.append(thead);
      const body = element('tbody');
      for (const row of day.rows) {
        const tr = element('tr');
        tr.append(element('th', 'time', row.time || '—'));
        if (row.spanning.length) {
          const td = element('td', 'spanning');
          td.colSpan = day.columns.length;
          for (const cell of row.spanning) td.append(talkCell(cell));
          cells += row.spanning.length;
          tr.append(td);
          body.append(tr);
          if (row.cells.every((/** @type {any[]} */ column) => column.length === 0)) continue;
          const next = element('tr');
          next.append(element('th', 'time', ''));
          appendColumns(next, row);
          body.append(next);
        } else {
          appendColumns(tr, row);
          body.append(tr);
        }
        for (const column of row.cells) cells += column.length;
      }
      table.append(body);
      section.append(table);
      root.append(section);
    }
    vscode.postMessage({ type: 'rendered', cells, days: model.days.length });
  }

  /**
   * @param {HTMLElement} tr
   * @param {any} row
   */
  function appendColumns(tr, row) {
    for (const column of row.cells) {
      const td = element('td', column.length ? 'slot' : 'slot free');
      for (const cell of column) td.append(talkCell(cell));
      tr.append(td);
    }
  }

  window.addEventListener('message', (event) => {
    const message = event.data;
    if (message && message.type === 'schedule') draw(message.model);
  });
  vscode.postMessage({ type: 'ready' });
})();
