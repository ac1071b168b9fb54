// Decap CMS starts by itself as soon as it loads; the form starts it once its own widgets and
// file format are registered (main.js).
window.CMS_MANUAL_INIT = true;
