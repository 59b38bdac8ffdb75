// Live updates (server-sent events): the inbox list refreshes itself, and a card says when
// the incident changed under its reader or a colleague opened it. Everything else on the
// pages works without this script.
(function () {
  'use strict';
  var url = document.body.getAttribute('data-live');
  if (!url || !window.EventSource) return;
  var card = document.querySelector('[data-incident]');
  var banner = document.getElementById('live-banner');
  var presence = document.getElementById('live-presence');
  var timer = null;

  function refreshList() {
    var list = document.getElementById('inbox-list');
    if (!list || !window.htmx) return;
    clearTimeout(timer);
    // A burst of changes makes one refresh.
    timer = setTimeout(function () { window.htmx.trigger(list, 'refresh'); }, 300);
  }

  function say(text, link) {
    if (!banner) return;
    banner.textContent = text + ' ';
    if (link) {
      var a = document.createElement('a');
      a.href = link;
      a.textContent = 'Обновить карточку';
      banner.appendChild(a);
    }
    banner.hidden = false;
  }

  function checkCard() {
    var number = card.getAttribute('data-incident');
    fetch('/incidents/' + number + '/version', { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (now) {
        if (now && String(now.version) !== card.getAttribute('data-version')) {
          say('Обращение № ' + number + ' изменилось: другой сотрудник или система уже приняли решение. Действия на этой карточке будут отклонены как устаревшие.', '/incidents/' + number);
        }
      })
      .catch(function () { /* the next event tries again */ });
  }

  var source = new EventSource(url);
  // On (re)connecting, whatever changed while the stream was not open is looked at once.
  source.addEventListener('open', function () {
    refreshList();
    if (card) checkCard();
  });
  source.addEventListener('changed', function (e) {
    var data = JSON.parse(e.data);
    refreshList();
    if (card && data.numbers.indexOf(Number(card.getAttribute('data-incident'))) !== -1) checkCard();
  });
  source.addEventListener('viewing', function (e) {
    var data = JSON.parse(e.data);
    refreshList();
    if (card && presence && String(data.number) === card.getAttribute('data-incident')) {
      presence.textContent = 'Карточку также открыл(а): ' + data.name + '.';
      presence.hidden = false;
    }
  });
})();

// The topic guide under the card's topic select follows the selection: what the chosen
// topic covers and what does not belong there. The server renders it for the topic the
// form opens with, so without this script the guide is there, only not updated.
(function () {
  'use strict';
  var select = document.querySelector('select[name=topic][data-guide]');
  var box = document.getElementById('topic-guide');
  if (!select || !box) return;
  var covers = box.querySelector('.guide-covers');
  var notHere = box.querySelector('.guide-not-here');
  var suggested = box.getAttribute('data-suggested');

  function show() {
    var option = select.options[select.selectedIndex];
    var topic = option ? option.value : '';
    covers.querySelector('.guide-topic').textContent = topic || 'Тема не выбрана';
    covers.querySelector('.guide-suggested').hidden = !topic || topic !== suggested;
    covers.querySelector('.guide-text').textContent = topic ? option.getAttribute('data-covers') : 'выберите тему — здесь появится, что она охватывает.';
    var not = topic ? option.getAttribute('data-not-here') : '';
    notHere.querySelector('.guide-text').textContent = not;
    notHere.hidden = !not;
  }

  select.addEventListener('change', show);
})();
