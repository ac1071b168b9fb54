// The editor form's own widgets, built with the React that Decap CMS brings (window.h and
// window.createClass): Decap has no read-only fields and no three-way yes / no / unknown.

function plain(value) {
  return value && typeof value.toJS === 'function' ? value.toJS() : value;
}

// What a read-only field shows: a list as 甲、乙, a mapping as its values, a code as its label.
function shown(value, labels) {
  value = plain(value);
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.map(item => shown(item, labels)).join('、') || '—';
  if (typeof value === 'object') {
    return Object.values(value).map(item => shown(item, labels)).filter(text => text !== '—').join('：') || '—';
  }
  return labels && Object.prototype.hasOwnProperty.call(labels, value) ? labels[value] : String(value);
}

export function registerWidgets(CMS, h, createClass) {
  // A field from the document: shown, never edited (the importer owns it). With `options`, the
  // registered names it may hold: a name not among them is flagged, as `build.py check` would.
  const ReadOnly = createClass({
    unknown() {
      const options = plain(this.props.field.get('options'));
      if (!options) return [];
      const value = plain(this.props.value);
      return (Array.isArray(value) ? value : value == null ? [] : [value]).filter(name => !options.includes(name));
    },
    isValid() {
      const unknown = this.unknown();
      return unknown.length ? { error: { message: `未登记的名称：${unknown.join('、')}（请告诉维护人员）` } } : true;
    },
    render() {
      const labels = plain(this.props.field.get('labels'));
      // Grey and tighter than an input, so that it does not invite typing.
      return h('div', {
        id: this.props.forID,
        'data-readonly': 'true',
        style: {
          background: '#f3f4f6', border: '2px solid #dfdfe3', borderRadius: '0 5px 5px 5px', color: '#313d3e',
          padding: '8px 16px', fontSize: '15px', lineHeight: 1.6, whiteSpace: 'pre-wrap', cursor: 'default',
        },
      }, shown(this.props.value, labels));
    },
  });
  const ReadOnlyPreview = props => h('p', {}, shown(props.value, plain(props.field.get('labels'))));
  CMS.registerWidget('readonly', ReadOnly, ReadOnlyPreview, {
    properties: { options: { type: 'array', items: { type: 'string' } }, labels: { type: 'object' } },
  });

  // A milestone reached (true), not reached (false), or no source yet (null): a select of the
  // three, since a checkbox cannot say "not known".
  const choices = [[null, '尚无来源'], [true, '已达成'], [false, '未达成']];
  const Achieved = createClass({
    render() {
      const value = plain(this.props.value);
      const current = value === true || value === false ? String(value) : 'null';
      return h('select', {
        id: this.props.forID,
        className: this.props.classNameWrapper,
        value: current,
        onChange: event => this.props.onChange(JSON.parse(event.target.value)),
        onFocus: this.props.setActiveStyle,
        onBlur: this.props.setInactiveStyle,
      }, choices.map(([choice, label]) => h('option', { key: String(choice), value: String(choice) }, label)));
    },
  });
  const AchievedPreview = props => h('p', {}, shown(props.value, { true: '已达成', false: '未达成' }));
  CMS.registerWidget('achieved', Achieved, AchievedPreview);
}
