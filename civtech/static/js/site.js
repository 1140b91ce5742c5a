// Site script, loaded as an ES module (`<script type="module">`), so it runs once the document
// has been parsed. Every page works without it: this only adds the Design System's enhancements.
import DS from '../vendor/design-system.js';
import { scrollableTables } from './table-scroll.js';

// The DS styles some components differently once scripts run (its docs set this class inline,
// which our CSP forbids, so it is set here).
document.documentElement.classList.add('js-enabled');
DS.initAll();
scrollableTables();

// Move focus to an error summary shown after a failed submission, so keyboard and screen-reader
// users land on the list of problems (the summary has tabindex="-1" for this).
const errorSummary = document.querySelector('.ds_error-summary');
if (errorSummary) {
    errorSummary.focus();
}
