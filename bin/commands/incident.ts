import type { Command } from 'commander';
import type { StoredVerdict } from '../../classifiers/verdict.js';
import { DRAFT_KIND_LABELS } from '../../workflow/draft-check.js';
import { isIncidentState, STATE_INFO } from '../../workflow/incident-states.js';
import { localTime, NETWORK_LABELS, STEP_LABELS } from '../../workers/staff-bot/texts.js';
import { CliError } from '../cli-error.js';
import { tenantOrOnly } from '../tenant-option.js';
import { withStore } from '../with-store.js';

const DECISIONS: Readonly<Record<string, string>> = { approved: 'согласован', returned: 'возвращён на доработку', edited: 'исправлен куратором' };

/** `otklik incident show N`: the whole story of one incident, as the DESIGN's Store section promises staff. */
export function register(program: Command): void {
  const incident = program.command('incident').description('one incident');
  incident
    .command('show')
    .argument('<number>', 'the incident number within the tenant («обращение № N»)')
    .option('-t, --tenant <name>', 'the municipality (may be left out when there is only one)')
    .option('--json', 'the stored document and its message as JSON')
    .description('the whole story: the message, the classifier\'s verdict, every state change, drafts, deadlines, publication')
    .action(async (numberText: string, options: { tenant?: string; json?: boolean }) => {
      const number = Number(numberText);
      if (!Number.isInteger(number) || number < 1) throw new CliError(`номер обращения: «${numberText}» — нужно целое число больше нуля`);
      await withStore(async (store) => {
        const tenant = await tenantOrOnly(store, options.tenant);
        const loaded = await store.incidents.withMessage(tenant, number);
        if (!loaded) throw new CliError(`обращение № ${number} не найдено в ${tenant}`);
        if (options.json) {
          process.stdout.write(JSON.stringify({ incident: loaded.incident, message: loaded.message }, null, 2) + '\n');
          return;
        }
        const runtime = await store.tenants.runtime(tenant);
        const zone = runtime.timeZone;
        const at = (d: Date | null | undefined) => (d ? localTime(new Date(d), zone) : '—');
        const name = (code: string | null) => (code === null ? 'кураторы' : runtime.staff.find((s) => s.code === code)?.fullName ?? code);
        const dept = (code: string) => runtime.departments.find((d) => d.code === code)?.name ?? code;
        const label = (state: string | null) => (state && isIncidentState(state) ? STATE_INFO[state].label : state ?? '—');
        const { incident: i, message: m } = loaded;
        const out: string[] = [`Обращение № ${i.number} — ${runtime.title} (${tenant}), время ${zone}`, `Состояние: ${i.stateLabel} [${i.state}], версия ${i.revision}`];
        out.push('', 'Сообщение');
        if (m) {
          out.push(
            `  ${NETWORK_LABELS[m.network] ?? m.network}, ${m.anonymous ? 'анонимный автор' : `автор ${m.authorName || '—'} (${m.authorId})`}, опубликовано ${at(m.postedAt)}, выявлено ${at(i.detectedAt)}`,
            ...(m.url ? [`  ${m.url}`] : []),
            `  «${m.text}»`,
            ...m.attachments.map((a) => `  вложение: ${a.type} ${a.url}`),
          );
        } else out.push('  (сообщение не найдено в хранилище)');
        const v = i.verdict as StoredVerdict | null;
        if (v) {
          out.push('', `Вердикт классификатора (модель ${v.modelVersion})`);
          if (v.rejected) out.push(`  отклонить: ${v.reason ?? ''}; доказательства: «${v.evidence.join('», «')}»`);
          for (const r of v.otherReasons ?? []) out.push(`  также: ${r.reason} — «${r.evidence.join('», «')}»`);
          if (v.topic) out.push(`  тема: ${v.topic.value} (${Math.round(v.topic.confidence * 100)} %)`);
          if (v.location) out.push(`  место: ${v.location.value} — «${v.location.evidence}»`);
          if (v.importance) out.push(`  важность: ${v.importance.value === 'high' ? 'повышенная' : 'обычная'}${v.importance.reason ? ` — ${v.importance.reason}` : ''}`);
          if (v.competence) out.push(`  возможно вне компетенции: ${v.competence.area}`);
          if (v.repeatOf) out.push(`  повтор обращения № ${v.repeatOf.incidentId} (сходство ${Math.round(v.repeatOf.similarity * 100)} %)`);
          if (v.languageNote) out.push(`  ${v.languageNote}`);
        }
        out.push(
          '', 'Решение куратора',
          `  тема: ${i.topic ?? '—'}; место: ${i.location ?? '—'}; важность: ${i.importance === 'high' ? 'повышенная' : 'обычная'}${i.repeatOf !== null ? `; повтор № ${i.repeatOf}` : ''}`,
          `  подразделения: ${i.departments.length ? i.departments.map(dept).join(' → ') : '—'}; исполнитель: ${i.assignee ? name(i.assignee) : '—'}`,
        );
        if (i.rejection) out.push(`  отклонено куратором ${name(i.rejection.by)}: ${i.rejection.label}${i.rejection.comment ? ` — ${i.rejection.comment}` : ''}`);
        out.push('', 'История');
        for (const h of i.history) out.push(`  ${at(h.at)}  ${h.who.startsWith('system:') ? h.who : name(h.who)}: ${label(h.from)} → ${label(h.to)}${h.why ? ` — ${h.why}` : ''}`);
        if (i.drafts.length) {
          out.push('', 'Проекты');
          i.drafts.forEach((d, n) => {
            out.push(`  ${n + 1}. ${DRAFT_KIND_LABELS[d.kind]} [${d.id}], ${name(d.author)}, ${at(d.submittedAt)}${d.decision ? ` — ${DECISIONS[d.decision] ?? d.decision} ${d.reviewedBy ? name(d.reviewedBy) : ''} ${at(d.reviewedAt)}` : ' — на согласовании'}`);
            out.push(`     «${d.text}»`);
            if (d.reviewComment) out.push(`     комментарий: ${d.reviewComment}`);
            for (const f of d.findings) out.push(`     замечание проверки: ${f}`);
            for (const a of d.attachments) out.push(`     вложение: ${a.type} ${a.url}`);
          });
        }
        out.push('', 'Сроки');
        for (const d of i.deadlines) {
          const state = d.metAt ? (new Date(d.metAt).getTime() <= new Date(d.dueAt).getTime() ? `выполнено в срок ${at(d.metAt)}` : `выполнено с нарушением ${at(d.metAt)}`) : d.conditional ? 'если понадобится' : 'открыт';
          out.push(`  ${STEP_LABELS[d.step]}: до ${at(d.dueAt)}, отвечает ${name(d.responsible)} — ${state}${d.clause ? ` (${d.clause})` : ''}`);
        }
        const p = i.publication;
        out.push('', 'Публикация', `  ${p.outcomeLabel ?? 'не опубликовано'}${p.attempts?.length ? `; попыток: ${p.attempts.length}` : ''}`);
        process.stdout.write(out.join('\n') + '\n');
      });
    });
}
