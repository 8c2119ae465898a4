// Sort the heatmap's rows by a theme within each group (a few lines; without
// scripts the rows stay in their grouped order and each theme's card ranks them).
(function () {
  var t = document.getElementById('heat');
  if (!t) return;
  var dict = document.getElementById('view-dict');
  function sort(col) {
    var key = dict && dict.checked ? 'd' : 'v';
    t.querySelectorAll('tbody').forEach(function (tb) {
      var rows = [].slice.call(tb.querySelectorAll('tr.r'));
      rows.sort(function (a, b) {
        if (col < 0) return a.dataset.o - b.dataset.o;
        var x = parseFloat(a.children[col + 1].dataset[key]);
        var y = parseFloat(b.children[col + 1].dataset[key]);
        return (y - x) || (a.dataset.o - b.dataset.o);
      });
      rows.forEach(function (r) { tb.appendChild(r); });
    });
  }
  t.querySelectorAll('thead th[data-col]').forEach(function (th) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'sort';
    b.textContent = th.dataset.col < 0 ? 'grouped order' : 'sort';
    b.title = th.dataset.col < 0 ? 'Back to the grouped order' : 'Largest first within each group';
    b.addEventListener('click', function () { sort(+th.dataset.col); });
    th.appendChild(b);
  });
})();
