/**
 * The scripted stream of citizen messages the sandbox serves: what a municipal
 * administration of a small town reads on an ordinary day, with the five kinds the
 * classifiers and the workflow must tell apart.
 */
export type ScriptCategory = 'complaint' | 'question' | 'thanks' | 'toxic' | 'advertising';

export interface ScriptLine {
  readonly category: ScriptCategory;
  readonly text: string;
}

export const SCRIPT: readonly ScriptLine[] = [
  { category: 'complaint', text: 'Третий день нет горячей воды на ул. Ленина, 14. В управляющей компании трубку не берут. Когда дадут воду?' },
  { category: 'complaint', text: 'Во дворе дома 7 по ул. Советской третью неделю не вывозят мусор, контейнеры переполнены, собаки растаскивают пакеты.' },
  { category: 'complaint', text: 'Яма на перекрёстке Гагарина и Школьной уже по колено, вчера там пробил колесо. Администрация, вы ремонтировать будете?' },
  { category: 'complaint', text: 'На остановке у больницы разбита крыша, люди мокнут под дождём. Просим заменить навес.' },
  { category: 'complaint', text: 'Не горят фонари по всей улице Звёздной, вечером дети идут из школы в темноте.' },
  { category: 'complaint', text: 'Дорогу на Комсомольской так и не почистили от снега, скорая не может проехать к домам 20–26.' },
  { category: 'complaint', text: 'В подъезде дома 3 по Дзержинского течёт крыша, управляющая компания отписывается. Помогите!' },
  { category: 'complaint', text: 'Автобус №2 в субботу утром не пришёл вообще, ждали 40 минут на морозе.' },
  { category: 'complaint', text: 'На детской площадке у дома 11 сломаны качели, торчит арматура. Это опасно для детей.' },
  { category: 'complaint', text: 'Уже месяц у нас в посёлке нет нормальной мобильной связи и интернета, как работать и учиться?' },
  { category: 'question', text: 'Подскажите, куда обращаться по поводу ямы у школы №3 на ул. Гагарина? Машины объезжают по тротуару.' },
  { category: 'question', text: 'Здравствуйте! Когда начнётся запись в первый класс и какие документы нужны?' },
  { category: 'question', text: 'Будет ли в этом году ёлка на центральной площади и с какого числа?' },
  { category: 'question', text: 'Как получить справку о составе семьи, можно ли через Госуслуги?' },
  { category: 'question', text: 'Где посмотреть график отключения электроэнергии на следующую неделю?' },
  { category: 'question', text: 'Подскажите, в выходные автобус №5 до дачных участков ходит по расписанию?' },
  { category: 'question', text: 'Когда откроют каток на стадионе? Дети спрашивают каждый день.' },
  { category: 'question', text: 'Куда сдать старые батарейки и ртутные лампы в нашем городе?' },
  { category: 'thanks', text: 'Спасибо администрации за новую остановку на Дзержинского, наконец-то не под открытым небом!' },
  { category: 'thanks', text: 'Благодарю дорожную службу, двор расчистили быстро и аккуратно.' },
  { category: 'thanks', text: 'Огромное спасибо за ремонт в поликлинике, стало светло и удобно.' },
  { category: 'thanks', text: 'Спасибо, что так быстро заменили фонари на Школьной. Работает!' },
  { category: 'toxic', text: 'Вы там в администрации совсем обнаглели, бездельники, только деньги пилите!' },
  { category: 'toxic', text: 'Чтоб вам всем пусто было, дармоеды, ничего не делаете годами.' },
  { category: 'toxic', text: 'Идиоты, кто так кладёт асфальт? Руки бы оторвать таким работникам.' },
  { category: 'advertising', text: 'Продам зимнюю резину R15, недорого, самовывоз. Пишите в личку!' },
  { category: 'advertising', text: 'Натяжные потолки за один день! Скидка 30% до конца месяца, звоните 8-900-000-00-00.' },
  { category: 'advertising', text: 'Заработок от 5000 в день без вложений, подробности по ссылке в профиле.' },
];

/** Russian names for the scripted authors; ids are stable per index. */
export const AUTHORS: readonly { readonly first: string; readonly last: string }[] = [
  { first: 'Ольга', last: 'Смирнова' }, { first: 'Игорь', last: 'Петров' }, { first: 'Наталья', last: 'Кузнецова' },
  { first: 'Виктор', last: 'Соколов' }, { first: 'Людмила', last: 'Воронцова' }, { first: 'Андрей', last: 'Мельников' },
  { first: 'Тамара', last: 'Гусева' }, { first: 'Сергей', last: 'Иванов' }, { first: 'Марина', last: 'Белова' },
  { first: 'Дмитрий', last: 'Орлов' }, { first: 'Елена', last: 'Никитина' }, { first: 'Алексей', last: 'Фёдоров' },
];

/** A small deterministic generator, so a run of the sandbox is reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
}
