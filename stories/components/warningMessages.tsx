// InactivityWarning in German and Japanese: every text through `messages`,
// times through Intl (the `format.duration` helper and `locale`).
import type { InactivityWarningMessages } from '../../src/react'
import type { SignOutReason } from '../../src/core/types'

const GERMAN_REASONS: Record<SignOutReason, string> = {
  inactivity: 'Sie wurden abgemeldet, weil Sie zu lange inaktiv waren.',
  idle: 'Sie wurden abgemeldet, weil Sie zu lange abwesend waren.',
  'max-lifetime': 'Sie wurden abgemeldet, weil Ihre Sitzung ihre Höchstdauer erreicht hat.',
  revoked: 'Ihre Sitzung wurde vom Server oder auf einem anderen Gerät beendet.',
  replaced: 'Sie haben sich auf einem anderen Gerät angemeldet und wurden deshalb hier abgemeldet.',
  'signed-out': 'Sie haben sich abgemeldet.',
}

export const germanMessages: Partial<InactivityWarningMessages> = {
  locale: 'de',
  title: 'Ihre Sitzung läuft bald ab',
  endingTitle: 'Ihre Sitzung endet bald',
  description: ({ countdown }) => <>Sie werden in {countdown} abgemeldet, weil Sie inaktiv waren. Möchten Sie angemeldet bleiben?</>,
  endingDescription: ({ countdown }) => (
    <>Ihre Sitzung endet in {countdown} und kann nicht verlängert werden. Speichern Sie Ihre Arbeit und melden Sie sich erneut an.</>
  ),
  announcement: (remainingMs, { duration, renewable }) =>
    renewable
      ? `Sie werden in ${duration(remainingMs)} abgemeldet.`
      : `Ihre Sitzung endet in ${duration(remainingMs)}. Speichern Sie Ihre Arbeit.`,
  stay: 'Angemeldet bleiben',
  signOut: 'Abmelden',
  keepWorking: 'Weiterarbeiten',
  expiredTitle: 'Sie wurden abgemeldet',
  expiredDescription: (reason) => GERMAN_REASONS[reason ?? 'inactivity'],
  signInAgain: 'Erneut anmelden',
}

const JAPANESE_REASONS: Record<SignOutReason, string> = {
  inactivity: '操作のない時間が長く続いたため、ログアウトしました。',
  idle: '離席時間が長く続いたため、ログアウトしました。',
  'max-lifetime': 'セッションが最大の長さに達したため、ログアウトしました。',
  revoked: 'セッションはサーバーまたは別のデバイスで終了されました。',
  replaced: '別のデバイスでログインしたため、このデバイスではログアウトしました。',
  'signed-out': 'ログアウトしました。',
}

export const japaneseMessages: Partial<InactivityWarningMessages> = {
  locale: 'ja',
  title: 'まもなくセッションの有効期限が切れます',
  endingTitle: 'まもなくセッションが終了します',
  description: ({ countdown }) => <>操作がなかったため、{countdown}後にログアウトされます。ログインしたままにしますか？</>,
  endingDescription: ({ countdown }) => (
    <>セッションは{countdown}後に終了し、延長できません。作業を保存してから、もう一度ログインしてください。</>
  ),
  announcement: (remainingMs, { duration, renewable }) =>
    renewable ? `${duration(remainingMs)}後にログアウトされます。` : `${duration(remainingMs)}後にセッションが終了します。作業を保存してください。`,
  stay: 'ログインしたままにする',
  signOut: 'ログアウト',
  keepWorking: '作業を続ける',
  expiredTitle: 'ログアウトしました',
  expiredDescription: (reason) => JAPANESE_REASONS[reason ?? 'inactivity'],
  signInAgain: 'もう一度ログイン',
}
