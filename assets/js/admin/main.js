// The editor form (admin/): Decap CMS with the task file format and the widgets of this site.
// admin/index.html carries the format's schema, which the build makes from the validator.
import { taskFormat } from './task-format.js';
import { registerWidgets } from './widgets.js';

const schema = JSON.parse(document.getElementById('task-schema').textContent);
window.CMS.registerCustomFormat('catalogue-task', 'yaml', taskFormat(schema));
registerWidgets(window.CMS, window.h, window.createClass);
window.CMS.init();
