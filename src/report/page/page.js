// Filters by status and platform, and opening a cell's details when its link is followed. Plain
// script: the page works from file:// with no server.
(() => {
  const form = document.querySelector('form.filters');
  const checked = (name) =>
    new Set([...form.querySelectorAll(`input[name="${name}"]:checked`)].map((input) => input.value));

  function apply() {
    const statuses = checked('status');
    const platforms = checked('platform');
    for (const element of document.querySelectorAll('th[data-platform], td[data-platform]')) {
      element.classList.toggle('hidden', !platforms.has(element.dataset.platform));
    }
    for (const cell of document.querySelectorAll('td.cell[data-status]')) {
      cell.classList.toggle('dim', !statuses.has(cell.dataset.status));
    }
    for (const detail of document.querySelectorAll('details[data-status], li[data-status]')) {
      const shown = statuses.has(detail.dataset.status) && platforms.has(detail.dataset.platform);
      detail.classList.toggle('hidden', !shown);
    }
    for (const row of document.querySelectorAll('tr.req')) {
      const shown = [...row.querySelectorAll('td.cell[data-status]')].some(
        (cell) => !cell.classList.contains('hidden') && !cell.classList.contains('dim'),
      );
      row.classList.toggle('hidden', !shown);
    }
    for (const group of document.querySelectorAll('tbody')) {
      const header = group.querySelector('tr.group');
      if (header) header.classList.toggle('hidden', !group.querySelector('tr.req:not(.hidden)'));
    }
    for (const section of document.querySelectorAll('section.requirement')) {
      section.classList.toggle('hidden', !section.querySelector('details:not(.hidden)'));
    }
  }

  function openTarget() {
    const id = decodeURIComponent(location.hash.slice(1));
    const element = id ? document.getElementById(id) : null;
    if (element instanceof HTMLDetailsElement) element.open = true;
  }

  form.addEventListener('change', apply);
  window.addEventListener('hashchange', openTarget);
  openTarget();
})();
