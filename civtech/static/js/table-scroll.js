// Wide tables scroll sideways inside their own box instead of making the page wider than the screen
// (WCAG 1.4.10 Reflow). Each table is wrapped in .app-table-scroll (site.css, admin.css); while it overflows,
// the box is a focusable, named region, so a keyboard user can scroll it too (axe: scrollable-region-focusable).
// Used by the site (site.js) and by our views in the Wagtail admin (the insert_global_admin_js hook).
export function scrollableTables(root = document) {
    const boxes = [];
    root.querySelectorAll('table').forEach((table) => {
        let box = table.parentElement;
        if (!box.classList.contains('app-table-scroll')) {
            box = document.createElement('div');
            box.className = 'app-table-scroll';
            table.before(box);
            box.append(table);
        }
        boxes.push(box);
    });
    const mark = () => boxes.forEach((box) => {
        if (box.scrollWidth > box.clientWidth) {
            const caption = box.querySelector('caption');
            box.setAttribute('tabindex', '0');
            box.setAttribute('role', 'region');
            box.setAttribute('aria-label', caption ? caption.textContent.trim() : 'Table (scrolls sideways)');
        } else {
            ['tabindex', 'role', 'aria-label'].forEach((name) => box.removeAttribute(name));
        }
    });
    mark();
    window.addEventListener('resize', mark);
}
