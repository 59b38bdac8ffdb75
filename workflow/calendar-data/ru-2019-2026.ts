// The Russian production calendar for 2019–2026 as facts, written from the acts named in
// each year's `source`. Only exceptions to the ordinary week are listed (a Monday–Friday
// is working, a Saturday or Sunday is a day off unless listed here). Holidays that fall
// on a weekend are listed too, so that a reader sees every non-working holiday of the
// year (ТК РФ ст. 112 ч. 1) and where its weekend was moved to (ст. 112 ч. 2 and 5).
// A shortened day is the working day before a non-working holiday, one hour shorter
// (ТК РФ ст. 95). Non-working days declared by presidential decree (2020, 2021) carry
// `byDecree` with the kind the day had under the government's calendar, so that the
// Ministry of Labour's yearly norms (which ignore the decrees) can be checked.
// Plain data with its own shape, so that it imports nothing (calendar.ts checks it is a CalendarYear[]).
interface Day {
  date: string;
  kind: 'working' | 'shortened' | 'dayoff';
  why: string;
  byDecree?: { wasKind: 'working' | 'shortened'; act: string };
}
interface Year {
  year: number;
  source: string;
  days: Day[];
}

const holidaysJan = (year: number, except: number[] = []): Day[] =>
  [1, 2, 3, 4, 5, 6, 8]
    .filter((d) => !except.includes(d))
    .map((d) => ({ date: `${year}-01-0${d}`, kind: 'dayoff' as const, why: 'Новогодние каникулы (ст. 112 ТК РФ)' }))
    .concat([{ date: `${year}-01-07`, kind: 'dayoff' as const, why: 'Рождество Христово (ст. 112 ТК РФ)' }])
    .sort((a, b) => a.date.localeCompare(b.date));

const DEFENDER = 'День защитника Отечества (ст. 112 ТК РФ)';
const WOMEN = 'Международный женский день (ст. 112 ТК РФ)';
const MAY1 = 'Праздник Весны и Труда (ст. 112 ТК РФ)';
const VICTORY = 'День Победы (ст. 112 ТК РФ)';
const RUSSIA = 'День России (ст. 112 ТК РФ)';
const UNITY = 'День народного единства (ст. 112 ТК РФ)';
const PRE = 'предпраздничный день, на час короче (ст. 95 ТК РФ)';
const moved = (from: string, act: string): string => `выходной перенесён с ${from} (${act})`;

const COVID_2020_APRIL = 'Указ Президента РФ от 02.04.2020 № 239';
const covidApril2020: Day[] = [6, 7, 8, 9, 10, 13, 14, 15, 16, 17, 20, 21, 22, 23, 24, 27, 28, 29].map((d) => ({
  date: `2020-04-${String(d).padStart(2, '0')}`,
  kind: 'dayoff' as const,
  why: `нерабочий день (${COVID_2020_APRIL})`,
  byDecree: { wasKind: 'working' as const, act: COVID_2020_APRIL },
}));

export const RU_CALENDAR_2019_2026: Year[] = [
  {
    year: 2019,
    source: 'Постановление Правительства РФ от 01.10.2018 № 1163 «О переносе выходных дней в 2019 году»',
    days: [
      ...holidaysJan(2019),
      { date: '2019-02-22', kind: 'shortened', why: PRE },
      { date: '2019-02-23', kind: 'dayoff', why: DEFENDER },
      { date: '2019-03-07', kind: 'shortened', why: PRE },
      { date: '2019-03-08', kind: 'dayoff', why: WOMEN },
      { date: '2019-04-30', kind: 'shortened', why: PRE },
      { date: '2019-05-01', kind: 'dayoff', why: MAY1 },
      { date: '2019-05-02', kind: 'dayoff', why: moved('субботы 05.01', 'Пост. № 1163') },
      { date: '2019-05-03', kind: 'dayoff', why: moved('воскресенья 06.01', 'Пост. № 1163') },
      { date: '2019-05-08', kind: 'shortened', why: PRE },
      { date: '2019-05-09', kind: 'dayoff', why: VICTORY },
      { date: '2019-05-10', kind: 'dayoff', why: moved('субботы 23.02', 'Пост. № 1163') },
      { date: '2019-06-11', kind: 'shortened', why: PRE },
      { date: '2019-06-12', kind: 'dayoff', why: RUSSIA },
      { date: '2019-11-04', kind: 'dayoff', why: UNITY },
      { date: '2019-12-31', kind: 'shortened', why: PRE },
    ],
  },
  {
    year: 2020,
    source:
      'Постановление Правительства РФ от 10.07.2019 № 875 «О переносе выходных дней в 2020 году»; ' +
      'Указы Президента РФ от 25.03.2020 № 206, от 02.04.2020 № 239, от 28.04.2020 № 294 (нерабочие дни 30.03–11.05), ' +
      'от 29.05.2020 № 345 (24.06, парад Победы), от 01.06.2020 № 354 (01.07, голосование по поправкам в Конституцию)',
    days: [
      ...holidaysJan(2020),
      { date: '2020-02-23', kind: 'dayoff', why: DEFENDER },
      { date: '2020-02-24', kind: 'dayoff', why: moved('воскресенья 23.02', 'ст. 112 ч. 2 ТК РФ') },
      { date: '2020-03-08', kind: 'dayoff', why: WOMEN },
      { date: '2020-03-09', kind: 'dayoff', why: moved('воскресенья 08.03', 'ст. 112 ч. 2 ТК РФ') },
      ...[30, 31].map((d) => ({
        date: `2020-03-${d}`, kind: 'dayoff' as const, why: 'нерабочий день (Указ Президента РФ от 25.03.2020 № 206)',
        byDecree: { wasKind: 'working' as const, act: 'Указ Президента РФ от 25.03.2020 № 206' },
      })),
      ...[1, 2, 3].map((d) => ({
        date: `2020-04-0${d}`, kind: 'dayoff' as const, why: 'нерабочий день (Указ Президента РФ от 25.03.2020 № 206)',
        byDecree: { wasKind: 'working' as const, act: 'Указ Президента РФ от 25.03.2020 № 206' },
      })),
      ...covidApril2020,
      {
        date: '2020-04-30', kind: 'dayoff', why: `нерабочий день (${COVID_2020_APRIL}); был предпраздничным`,
        byDecree: { wasKind: 'shortened', act: COVID_2020_APRIL },
      },
      { date: '2020-05-01', kind: 'dayoff', why: MAY1 },
      { date: '2020-05-04', kind: 'dayoff', why: moved('субботы 04.01', 'Пост. № 875') },
      { date: '2020-05-05', kind: 'dayoff', why: moved('воскресенья 05.01', 'Пост. № 875') },
      ...[6, 7].map((d) => ({
        date: `2020-05-0${d}`, kind: 'dayoff' as const, why: 'нерабочий день (Указ Президента РФ от 28.04.2020 № 294)',
        byDecree: { wasKind: 'working' as const, act: 'Указ Президента РФ от 28.04.2020 № 294' },
      })),
      {
        date: '2020-05-08', kind: 'dayoff', why: 'нерабочий день (Указ Президента РФ от 28.04.2020 № 294); был предпраздничным',
        byDecree: { wasKind: 'shortened', act: 'Указ Президента РФ от 28.04.2020 № 294' },
      },
      { date: '2020-05-09', kind: 'dayoff', why: VICTORY },
      { date: '2020-05-11', kind: 'dayoff', why: moved('субботы 09.05', 'ст. 112 ч. 2 ТК РФ') },
      { date: '2020-06-11', kind: 'shortened', why: PRE },
      { date: '2020-06-12', kind: 'dayoff', why: RUSSIA },
      {
        date: '2020-06-24', kind: 'dayoff', why: 'нерабочий день, парад Победы (Указ Президента РФ от 29.05.2020 № 345)',
        byDecree: { wasKind: 'working', act: 'Указ Президента РФ от 29.05.2020 № 345' },
      },
      {
        date: '2020-07-01', kind: 'dayoff', why: 'нерабочий день, общероссийское голосование (Указ Президента РФ от 01.06.2020 № 354)',
        byDecree: { wasKind: 'working', act: 'Указ Президента РФ от 01.06.2020 № 354' },
      },
      { date: '2020-11-03', kind: 'shortened', why: PRE },
      { date: '2020-11-04', kind: 'dayoff', why: UNITY },
      { date: '2020-12-31', kind: 'shortened', why: PRE },
    ],
  },
  {
    year: 2021,
    source:
      'Постановление Правительства РФ от 10.10.2020 № 1648 «О переносе выходных дней в 2021 году»; ' +
      'Указы Президента РФ от 23.04.2021 № 242 (нерабочие дни 04.05–07.05) и от 20.10.2021 № 595 (нерабочие дни 30.10–07.11)',
    days: [
      ...holidaysJan(2021),
      { date: '2021-02-20', kind: 'shortened', why: 'рабочая суббота, выходной перенесён на 22.02 (Пост. № 1648); предпраздничная, на час короче' },
      { date: '2021-02-22', kind: 'dayoff', why: moved('субботы 20.02', 'Пост. № 1648') },
      { date: '2021-02-23', kind: 'dayoff', why: DEFENDER },
      { date: '2021-03-08', kind: 'dayoff', why: WOMEN },
      { date: '2021-04-30', kind: 'shortened', why: PRE },
      { date: '2021-05-01', kind: 'dayoff', why: MAY1 },
      { date: '2021-05-03', kind: 'dayoff', why: moved('субботы 01.05', 'ст. 112 ч. 2 ТК РФ') },
      ...[4, 5, 6, 7].map((d) => ({
        date: `2021-05-0${d}`, kind: 'dayoff' as const, why: 'нерабочий день (Указ Президента РФ от 23.04.2021 № 242)',
        byDecree: { wasKind: 'working' as const, act: 'Указ Президента РФ от 23.04.2021 № 242' },
      })),
      { date: '2021-05-09', kind: 'dayoff', why: VICTORY },
      { date: '2021-05-10', kind: 'dayoff', why: moved('воскресенья 09.05', 'ст. 112 ч. 2 ТК РФ') },
      { date: '2021-06-11', kind: 'shortened', why: PRE },
      { date: '2021-06-12', kind: 'dayoff', why: RUSSIA },
      { date: '2021-06-14', kind: 'dayoff', why: moved('субботы 12.06', 'ст. 112 ч. 2 ТК РФ') },
      ...[1, 2].map((d) => ({
        date: `2021-11-0${d}`, kind: 'dayoff' as const, why: 'нерабочий день (Указ Президента РФ от 20.10.2021 № 595)',
        byDecree: { wasKind: 'working' as const, act: 'Указ Президента РФ от 20.10.2021 № 595' },
      })),
      {
        date: '2021-11-03', kind: 'dayoff', why: 'нерабочий день (Указ Президента РФ от 20.10.2021 № 595); был предпраздничным',
        byDecree: { wasKind: 'shortened', act: 'Указ Президента РФ от 20.10.2021 № 595' },
      },
      { date: '2021-11-04', kind: 'dayoff', why: UNITY },
      { date: '2021-11-05', kind: 'dayoff', why: moved('субботы 02.01', 'Пост. № 1648') },
      { date: '2021-12-31', kind: 'dayoff', why: moved('воскресенья 03.01', 'Пост. № 1648') },
    ],
  },
  {
    year: 2022,
    source: 'Постановление Правительства РФ от 16.09.2021 № 1564 «О переносе выходных дней в 2022 году»',
    days: [
      ...holidaysJan(2022),
      { date: '2022-02-22', kind: 'shortened', why: PRE },
      { date: '2022-02-23', kind: 'dayoff', why: DEFENDER },
      { date: '2022-03-05', kind: 'shortened', why: 'рабочая суббота, выходной перенесён на 07.03 (Пост. № 1564); предпраздничная, на час короче' },
      { date: '2022-03-07', kind: 'dayoff', why: moved('субботы 05.03', 'Пост. № 1564') },
      { date: '2022-03-08', kind: 'dayoff', why: WOMEN },
      { date: '2022-05-01', kind: 'dayoff', why: MAY1 },
      { date: '2022-05-02', kind: 'dayoff', why: moved('воскресенья 01.05', 'ст. 112 ч. 2 ТК РФ') },
      { date: '2022-05-03', kind: 'dayoff', why: moved('субботы 01.01', 'Пост. № 1564') },
      { date: '2022-05-09', kind: 'dayoff', why: VICTORY },
      { date: '2022-05-10', kind: 'dayoff', why: moved('воскресенья 02.01', 'Пост. № 1564') },
      { date: '2022-06-12', kind: 'dayoff', why: RUSSIA },
      { date: '2022-06-13', kind: 'dayoff', why: moved('воскресенья 12.06', 'ст. 112 ч. 2 ТК РФ') },
      { date: '2022-11-03', kind: 'shortened', why: PRE },
      { date: '2022-11-04', kind: 'dayoff', why: UNITY },
    ],
  },
  {
    year: 2023,
    source: 'Постановление Правительства РФ от 29.08.2022 № 1505 «О переносе выходных дней в 2023 году»',
    days: [
      ...holidaysJan(2023),
      { date: '2023-02-22', kind: 'shortened', why: PRE },
      { date: '2023-02-23', kind: 'dayoff', why: DEFENDER },
      { date: '2023-02-24', kind: 'dayoff', why: moved('воскресенья 01.01', 'Пост. № 1505') },
      { date: '2023-03-07', kind: 'shortened', why: PRE },
      { date: '2023-03-08', kind: 'dayoff', why: WOMEN },
      { date: '2023-05-01', kind: 'dayoff', why: MAY1 },
      { date: '2023-05-08', kind: 'dayoff', why: moved('воскресенья 08.01', 'Пост. № 1505') },
      { date: '2023-05-09', kind: 'dayoff', why: VICTORY },
      { date: '2023-06-12', kind: 'dayoff', why: RUSSIA },
      { date: '2023-11-03', kind: 'shortened', why: PRE },
      { date: '2023-11-04', kind: 'dayoff', why: UNITY },
      { date: '2023-11-06', kind: 'dayoff', why: moved('субботы 04.11', 'ст. 112 ч. 2 ТК РФ') },
    ],
  },
  {
    year: 2024,
    source: 'Постановление Правительства РФ от 10.08.2023 № 1314 «О переносе выходных дней в 2024 году»',
    days: [
      ...holidaysJan(2024),
      { date: '2024-02-22', kind: 'shortened', why: PRE },
      { date: '2024-02-23', kind: 'dayoff', why: DEFENDER },
      { date: '2024-03-07', kind: 'shortened', why: PRE },
      { date: '2024-03-08', kind: 'dayoff', why: WOMEN },
      { date: '2024-04-27', kind: 'working', why: 'рабочая суббота, выходной перенесён на 29.04 (Пост. № 1314)' },
      { date: '2024-04-29', kind: 'dayoff', why: moved('субботы 27.04', 'Пост. № 1314') },
      { date: '2024-04-30', kind: 'dayoff', why: moved('субботы 02.11', 'Пост. № 1314') },
      { date: '2024-05-01', kind: 'dayoff', why: MAY1 },
      { date: '2024-05-08', kind: 'shortened', why: PRE },
      { date: '2024-05-09', kind: 'dayoff', why: VICTORY },
      { date: '2024-05-10', kind: 'dayoff', why: moved('субботы 06.01', 'Пост. № 1314') },
      { date: '2024-06-11', kind: 'shortened', why: PRE },
      { date: '2024-06-12', kind: 'dayoff', why: RUSSIA },
      { date: '2024-11-02', kind: 'shortened', why: 'рабочая суббота, выходной перенесён на 30.04 (Пост. № 1314); предпраздничная, на час короче' },
      { date: '2024-11-04', kind: 'dayoff', why: UNITY },
      { date: '2024-12-28', kind: 'working', why: 'рабочая суббота, выходной перенесён на 30.12 (Пост. № 1314)' },
      { date: '2024-12-30', kind: 'dayoff', why: moved('субботы 28.12', 'Пост. № 1314') },
      { date: '2024-12-31', kind: 'dayoff', why: moved('воскресенья 07.01', 'Пост. № 1314') },
    ],
  },
  {
    year: 2025,
    source: 'Постановление Правительства РФ от 04.10.2024 № 1335 «О переносе выходных дней в 2025 году»',
    days: [
      ...holidaysJan(2025),
      { date: '2025-02-23', kind: 'dayoff', why: DEFENDER },
      { date: '2025-03-07', kind: 'shortened', why: PRE },
      { date: '2025-03-08', kind: 'dayoff', why: WOMEN },
      { date: '2025-04-30', kind: 'shortened', why: PRE },
      { date: '2025-05-01', kind: 'dayoff', why: MAY1 },
      { date: '2025-05-02', kind: 'dayoff', why: moved('субботы 04.01', 'Пост. № 1335') },
      { date: '2025-05-08', kind: 'dayoff', why: moved('воскресенья 23.02', 'Пост. № 1335') },
      { date: '2025-05-09', kind: 'dayoff', why: VICTORY },
      { date: '2025-06-11', kind: 'shortened', why: PRE },
      { date: '2025-06-12', kind: 'dayoff', why: RUSSIA },
      { date: '2025-06-13', kind: 'dayoff', why: moved('субботы 08.03', 'Пост. № 1335') },
      { date: '2025-11-01', kind: 'shortened', why: 'рабочая суббота, выходной перенесён на 03.11 (Пост. № 1335); предпраздничная, на час короче' },
      { date: '2025-11-03', kind: 'dayoff', why: moved('субботы 01.11', 'Пост. № 1335') },
      { date: '2025-11-04', kind: 'dayoff', why: UNITY },
      { date: '2025-12-31', kind: 'dayoff', why: moved('воскресенья 05.01', 'Пост. № 1335') },
    ],
  },
  {
    year: 2026,
    source: 'Постановление Правительства РФ от 24.09.2025 «О переносе выходных дней в 2026 году»',
    days: [
      ...holidaysJan(2026),
      { date: '2026-01-09', kind: 'dayoff', why: moved('субботы 03.01', 'постановление от 24.09.2025') },
      { date: '2026-02-23', kind: 'dayoff', why: DEFENDER },
      { date: '2026-03-08', kind: 'dayoff', why: WOMEN },
      { date: '2026-03-09', kind: 'dayoff', why: moved('воскресенья 08.03', 'ст. 112 ч. 2 ТК РФ') },
      { date: '2026-04-30', kind: 'shortened', why: PRE },
      { date: '2026-05-01', kind: 'dayoff', why: MAY1 },
      { date: '2026-05-08', kind: 'shortened', why: PRE },
      { date: '2026-05-09', kind: 'dayoff', why: VICTORY },
      { date: '2026-05-11', kind: 'dayoff', why: moved('субботы 09.05', 'ст. 112 ч. 2 ТК РФ') },
      { date: '2026-06-11', kind: 'shortened', why: PRE },
      { date: '2026-06-12', kind: 'dayoff', why: RUSSIA },
      { date: '2026-11-03', kind: 'shortened', why: PRE },
      { date: '2026-11-04', kind: 'dayoff', why: UNITY },
      { date: '2026-12-31', kind: 'dayoff', why: moved('воскресенья 04.01', 'постановление от 24.09.2025') },
    ],
  },
];
