// English and French strings. `t(key, params)` fills {placeholders}.
import type { Language } from './types.ts';

const en = {
  'app.name': 'Hearth',
  'app.loading': 'Loading…',
  'app.skip': 'Skip to content',
  'app.unreachable': 'Hearth did not answer. Check that the device is on, then reload this page.',
  'app.retry': 'Try again',
  'app.footer': 'Hearth {version} · Your data stays on this device.',

  'common.next': 'Next',
  'common.back': 'Back',
  'common.cancel': 'Cancel',
  'common.edit': 'Edit',
  'common.working': 'Working…',
  'common.na': 'n/a',
  'common.never': 'never',
  'common.showPassphrase': 'Show passphrases',

  'step.progress': 'Setup progress',
  'step.of': 'Step {n} of {total}',
  'step.welcome': 'Welcome',
  'step.code': 'Setup code',
  'step.owner': 'Owner',
  'step.device': 'Name',
  'step.locale': 'Time & language',
  'step.summary': 'Review',

  'welcome.title': 'Welcome to your Hearth',
  'welcome.lead': 'Hearth is a personal cloud that you own. Your contacts, calendars, bills and readings stay on this device, and nothing leaves it unless you say so.',
  'welcome.list': 'Setting it up takes about two minutes. You will choose:',
  'welcome.item.owner': 'your name and a passphrase, to sign in as the owner',
  'welcome.item.name': 'a name for this device on your network',
  'welcome.item.locale': 'its time zone and language',
  'welcome.privacy': 'No account with us, no telemetry, no ads.',
  'welcome.start': 'Get started',

  'code.title': 'Enter the setup code',
  'code.lead': 'This device asks for its setup code, so that only someone holding the SD card can claim it.',
  'code.legend': 'Claim this device',
  'code.label': 'Setup code',
  'code.hint': 'It is in the file hearth.txt on the HEARTH-BOOT partition of the SD card.',
  'code.required': 'Enter the setup code.',

  'owner.title': 'Who owns this Hearth?',
  'owner.lead': 'You sign in with this name and passphrase. There is no recovery by e-mail, so choose a passphrase you will remember.',
  'owner.nameLegend': 'You',
  'owner.name': 'Your name',
  'owner.nameHint': 'Shown in Hearth and used to sign in. Up to 64 characters.',
  'owner.nameRequired': 'Enter your name.',
  'owner.nameTooLong': 'Use at most 64 characters.',
  'owner.nameChars': 'Your name cannot contain < or >.',
  'owner.passLegend': 'Passphrase',
  'owner.passphrase': 'Passphrase',
  'owner.confirm': 'Passphrase again',
  'owner.confirmHint': 'Type it once more, to be sure.',
  'owner.mismatch': 'The two passphrases are different.',
  'owner.passRequired': 'Choose a passphrase.',

  'pass.hint': 'At least {min} characters. A few unrelated words are easy to remember and hard to guess.',
  'pass.hintLoading': 'A few unrelated words are easy to remember and hard to guess.',
  'pass.meter': 'Passphrase strength',
  'pass.empty': 'Strength: not set yet',
  'pass.checking': 'Checking strength…',
  'pass.score0': 'very weak',
  'pass.score1': 'weak',
  'pass.score2': 'fair',
  'pass.score3': 'strong',
  'pass.score4': 'very strong',
  'pass.strength': 'Strength: {label} ({score}/4).',
  'pass.ok': 'Good to go.',
  'pass.unavailable': 'The strength check could not load; the device will check the passphrase when you continue.',

  'device.title': 'Name this device',
  'device.lead': 'Other devices on your network will find your Hearth by this name.',
  'device.legend': 'Network name',
  'device.label': 'Device name',
  'device.hint': 'Lowercase letters a–z, digits and hyphens; up to 63 characters.',
  'device.preview': 'Your Hearth will be at',
  'device.previewInvalid': 'Fix the name to see its address.',
  'device.required': 'Enter a name for the device.',
  'device.tooLong': 'Use at most 63 characters.',
  'device.chars': 'Use only the letters a–z, the digits 0–9 and hyphens (no spaces or accents).',
  'device.hyphen': 'The name cannot start or end with a hyphen.',
  'device.reserved': '“localhost” is reserved; choose another name.',

  'locale.title': 'Time zone and language',
  'locale.lead': 'Hearth uses the time zone for schedules and dates in your data.',
  'locale.tzLegend': 'Time zone',
  'locale.tz': 'Time zone',
  'locale.tzHint': 'Preselected from this browser.',
  'locale.tzNow': 'It is {time} there now.',
  'locale.langLegend': 'Language',
  'locale.langHint': 'For Hearth’s pages. You can change it later.',

  'summary.title': 'Check and confirm',
  'summary.lead': 'This is what Hearth will be set up with.',
  'summary.owner': 'Owner',
  'summary.passphrase': 'Passphrase',
  'summary.passphraseValue': 'Set ({label})',
  'summary.device': 'Device name',
  'summary.address': 'Address',
  'summary.timezone': 'Time zone',
  'summary.language': 'Language',
  'summary.code': 'Setup code',
  'summary.codeValue': 'Entered',
  'summary.editItem': 'Edit {item}',
  'summary.submit': 'Set up my Hearth',
  'summary.submitting': 'Setting up…',
  'summary.backToSummary': 'Back to review',
  'summary.alreadyDone': 'This Hearth has already been set up.',
  'summary.goToLogin': 'Go to sign in',

  'done.title': 'Your Hearth is ready',
  'done.lead': 'You are signed in as {owner}. From now on, open your Hearth at this address from any device on your network:',
  'done.open': 'Open {url}',
  'done.continue': 'Continue here',
  'done.note': 'The first visit there may ask you to trust the device’s own certificate; the page at the plain http:// address explains how.',

  'lang.en': 'English',
  'lang.fr': 'Français',

  'login.title': 'Sign in to {name}',
  'login.lead': 'Use the owner name and passphrase chosen at setup.',
  'login.legend': 'Owner',
  'login.name': 'Name',
  'login.passphrase': 'Passphrase',
  'login.submit': 'Sign in',
  'login.submitting': 'Signing in…',
  'login.required': 'Enter your name and passphrase.',

  'home.title': 'Your Hearth',
  'home.logout': 'Log out',
  'home.loggingOut': 'Logging out…',
  'home.signedOut': 'You have been signed out.',

  'device.card': 'This device',
  'device.name': 'Name',
  'device.hostname': 'Address',
  'device.version': 'Hearth version',
  'device.uptime': 'Running for',
  'device.uptimeHearthd': 'Hearth service running for',
  'device.timezone': 'Time zone',
  'device.language': 'Language',
  'device.claimed': 'Claimed on {date} from {address}',
  'device.claimedWithCode': 'with the setup code',
  'device.loadError': 'Could not load the device details: {message}',

  'health.card': 'Health',
  'health.cpu': 'Processor',
  'health.temperature': 'Temperature',
  'health.load': 'Load (1, 5, 15 min)',
  'health.memory': 'Memory',
  'health.disk': 'Storage',
  'health.used': '{used} of {total} used',
  'health.diskPath': '{used} of {total} used on {path}',
  'health.percent': '{value} busy',
  'health.updated': 'Updated {time}',
  'health.stale': 'Health data is not available right now: {message}',
  'health.loading': 'Reading sensors…',

  'passcard.title': 'Change passphrase',
  'passcard.lead': 'Changing it signs out every other browser and app session; this one stays signed in.',
  'passcard.current': 'Current passphrase',
  'passcard.next': 'New passphrase',
  'passcard.confirm': 'New passphrase again',
  'passcard.submit': 'Change passphrase',
  'passcard.submitting': 'Changing…',
  'passcard.done': 'Passphrase changed. Other sessions have been signed out.',
  'passcard.required': 'Enter your current passphrase.',
  'passcard.same': 'The new passphrase must differ from the current one.',

  'tokens.title': 'API tokens',
  'tokens.lead': 'Tokens let apps and scripts use Hearth’s API with limited access. Send one as “Authorization: Bearer …”.',
  'tokens.none': 'No tokens yet.',
  'tokens.listLabel': 'Your tokens',
  'tokens.created': 'Created {date}',
  'tokens.expires': 'expires {date}',
  'tokens.expired': 'expired {date}',
  'tokens.lastUsed': 'last used {date}',
  'tokens.revoke': 'Revoke',
  'tokens.revokeLabel': 'Revoke token {name}',
  'tokens.revokeTitle': 'Revoke “{name}”?',
  'tokens.revokeBody': 'Apps using this token lose access at once. This cannot be undone.',
  'tokens.revoked': 'Token “{name}” revoked.',
  'tokens.newLegend': 'New token',
  'tokens.name': 'Token name',
  'tokens.nameHint': 'What will use it, e.g. “phone backup”.',
  'tokens.nameRequired': 'Give the token a name.',
  'tokens.scopes': 'Access',
  'tokens.scopesHint': 'Give only the access the app needs.',
  'tokens.data': 'Data',
  'tokens.read': 'Read',
  'tokens.write': 'Write',
  'tokens.allow': 'Allow',
  'tokens.scopesRequired': 'Choose at least one kind of access.',
  'tokens.expiresIn': 'Valid for (days)',
  'tokens.expiresHint': 'From 1 to 365 days.',
  'tokens.expiresRange': 'Enter a number of days from 1 to 365.',
  'tokens.create': 'Create token',
  'tokens.creating': 'Creating…',
  'tokens.secretTitle': 'Copy your new token now',
  'tokens.secretLabel': 'Token “{name}”',
  'tokens.secretWarning': 'This is the only time it is shown. Hearth keeps only a hash of it; if you lose it, revoke it and create another.',
  'tokens.copy': 'Copy',
  'tokens.copied': 'Copied',
  'tokens.copyFailed': 'Select the token and copy it by hand.',
  'tokens.dismiss': 'I have copied it',
  'tokens.loadError': 'Could not load the tokens: {message}',

  'error.network': 'Hearth did not answer. Check your connection and try again.',
  'error.rate_limited': 'Too many attempts. Try again in {seconds} s.',
  'error.invalid_credentials': 'That name and passphrase do not match.',
  'error.wrong_passphrase': 'The current passphrase is wrong.',
  'error.setup_code_invalid': 'That setup code is not right. Check hearth.txt on the SD card.',
  'error.setup_done': 'This Hearth has already been set up.',
  'error.generic': 'Something went wrong ({code}): {message}',
} as const;

export type MessageKey = keyof typeof en;
type Dictionary = Record<MessageKey, string>;

const fr: Dictionary = {
  'app.name': 'Hearth',
  'app.loading': 'Chargement…',
  'app.skip': 'Aller au contenu',
  'app.unreachable': 'Hearth ne répond pas. Vérifiez que l’appareil est allumé, puis rechargez cette page.',
  'app.retry': 'Réessayer',
  'app.footer': 'Hearth {version} · Vos données restent sur cet appareil.',

  'common.next': 'Suivant',
  'common.back': 'Retour',
  'common.cancel': 'Annuler',
  'common.edit': 'Modifier',
  'common.working': 'Un instant…',
  'common.na': 'n.d.',
  'common.never': 'jamais',
  'common.showPassphrase': 'Afficher les phrases de passe',

  'step.progress': 'Progression de l’installation',
  'step.of': 'Étape {n} sur {total}',
  'step.welcome': 'Bienvenue',
  'step.code': 'Code',
  'step.owner': 'Propriétaire',
  'step.device': 'Nom',
  'step.locale': 'Heure et langue',
  'step.summary': 'Vérification',

  'welcome.title': 'Bienvenue sur votre Hearth',
  'welcome.lead': 'Hearth est un cloud personnel qui vous appartient. Vos contacts, agendas, factures et relevés restent sur cet appareil, et rien n’en sort sans votre accord.',
  'welcome.list': 'La configuration prend environ deux minutes. Vous allez choisir :',
  'welcome.item.owner': 'votre nom et une phrase de passe, pour vous connecter en tant que propriétaire',
  'welcome.item.name': 'un nom pour cet appareil sur votre réseau',
  'welcome.item.locale': 'son fuseau horaire et sa langue',
  'welcome.privacy': 'Aucun compte chez nous, aucune télémétrie, aucune publicité.',
  'welcome.start': 'Commencer',

  'code.title': 'Saisissez le code d’installation',
  'code.lead': 'Cet appareil demande son code d’installation, pour que seule la personne qui détient la carte SD puisse le réclamer.',
  'code.legend': 'Réclamer cet appareil',
  'code.label': 'Code d’installation',
  'code.hint': 'Il se trouve dans le fichier hearth.txt de la partition HEARTH-BOOT de la carte SD.',
  'code.required': 'Saisissez le code d’installation.',

  'owner.title': 'À qui appartient ce Hearth ?',
  'owner.lead': 'Vous vous connecterez avec ce nom et cette phrase de passe. Il n’y a pas de récupération par e-mail : choisissez une phrase dont vous vous souviendrez.',
  'owner.nameLegend': 'Vous',
  'owner.name': 'Votre nom',
  'owner.nameHint': 'Affiché dans Hearth et utilisé pour vous connecter. 64 caractères au plus.',
  'owner.nameRequired': 'Saisissez votre nom.',
  'owner.nameTooLong': 'Utilisez 64 caractères au plus.',
  'owner.nameChars': 'Votre nom ne peut pas contenir < ou >.',
  'owner.passLegend': 'Phrase de passe',
  'owner.passphrase': 'Phrase de passe',
  'owner.confirm': 'Phrase de passe (confirmation)',
  'owner.confirmHint': 'Saisissez-la une seconde fois, pour être sûr.',
  'owner.mismatch': 'Les deux phrases de passe sont différentes.',
  'owner.passRequired': 'Choisissez une phrase de passe.',

  'pass.hint': 'Au moins {min} caractères. Quelques mots sans rapport entre eux sont faciles à retenir et difficiles à deviner.',
  'pass.hintLoading': 'Quelques mots sans rapport entre eux sont faciles à retenir et difficiles à deviner.',
  'pass.meter': 'Robustesse de la phrase de passe',
  'pass.empty': 'Robustesse : rien de saisi',
  'pass.checking': 'Évaluation de la robustesse…',
  'pass.score0': 'très faible',
  'pass.score1': 'faible',
  'pass.score2': 'moyenne',
  'pass.score3': 'bonne',
  'pass.score4': 'très bonne',
  'pass.strength': 'Robustesse : {label} ({score}/4).',
  'pass.ok': 'C’est parfait.',
  'pass.unavailable': 'L’évaluation de la robustesse n’a pas pu se charger ; l’appareil vérifiera la phrase de passe quand vous continuerez.',

  'device.title': 'Nommez cet appareil',
  'device.lead': 'Les autres appareils de votre réseau trouveront votre Hearth sous ce nom.',
  'device.legend': 'Nom sur le réseau',
  'device.label': 'Nom de l’appareil',
  'device.hint': 'Lettres minuscules a–z, chiffres et traits d’union ; 63 caractères au plus.',
  'device.preview': 'Votre Hearth sera à l’adresse',
  'device.previewInvalid': 'Corrigez le nom pour voir son adresse.',
  'device.required': 'Saisissez un nom pour l’appareil.',
  'device.tooLong': 'Utilisez 63 caractères au plus.',
  'device.chars': 'Utilisez seulement les lettres a–z, les chiffres 0–9 et le trait d’union (ni espaces ni accents).',
  'device.hyphen': 'Le nom ne peut ni commencer ni finir par un trait d’union.',
  'device.reserved': '« localhost » est réservé ; choisissez un autre nom.',

  'locale.title': 'Fuseau horaire et langue',
  'locale.lead': 'Hearth utilise le fuseau horaire pour les planifications et les dates de vos données.',
  'locale.tzLegend': 'Fuseau horaire',
  'locale.tz': 'Fuseau horaire',
  'locale.tzHint': 'Présélectionné d’après ce navigateur.',
  'locale.tzNow': 'Il y est {time}.',
  'locale.langLegend': 'Langue',
  'locale.langHint': 'Pour les pages de Hearth. Vous pourrez la changer plus tard.',

  'summary.title': 'Vérifiez et confirmez',
  'summary.lead': 'Voici la configuration qui sera appliquée à Hearth.',
  'summary.owner': 'Propriétaire',
  'summary.passphrase': 'Phrase de passe',
  'summary.passphraseValue': 'Définie ({label})',
  'summary.device': 'Nom de l’appareil',
  'summary.address': 'Adresse',
  'summary.timezone': 'Fuseau horaire',
  'summary.language': 'Langue',
  'summary.code': 'Code d’installation',
  'summary.codeValue': 'Saisi',
  'summary.editItem': 'Modifier : {item}',
  'summary.submit': 'Installer mon Hearth',
  'summary.submitting': 'Installation…',
  'summary.backToSummary': 'Retour au résumé',
  'summary.alreadyDone': 'Ce Hearth est déjà installé.',
  'summary.goToLogin': 'Aller à la connexion',

  'done.title': 'Votre Hearth est prêt',
  'done.lead': 'Vous êtes connecté en tant que {owner}. Désormais, ouvrez votre Hearth à cette adresse depuis n’importe quel appareil de votre réseau :',
  'done.open': 'Ouvrir {url}',
  'done.continue': 'Continuer ici',
  'done.note': 'La première visite peut vous demander de faire confiance au certificat propre à l’appareil ; la page à l’adresse http:// simple explique comment faire.',

  'lang.en': 'English',
  'lang.fr': 'Français',

  'login.title': 'Connexion à {name}',
  'login.lead': 'Utilisez le nom et la phrase de passe du propriétaire choisis à l’installation.',
  'login.legend': 'Propriétaire',
  'login.name': 'Nom',
  'login.passphrase': 'Phrase de passe',
  'login.submit': 'Se connecter',
  'login.submitting': 'Connexion…',
  'login.required': 'Saisissez votre nom et votre phrase de passe.',

  'home.title': 'Votre Hearth',
  'home.logout': 'Se déconnecter',
  'home.loggingOut': 'Déconnexion…',
  'home.signedOut': 'Vous avez été déconnecté.',

  'device.card': 'Cet appareil',
  'device.name': 'Nom',
  'device.hostname': 'Adresse',
  'device.version': 'Version de Hearth',
  'device.uptime': 'En marche depuis',
  'device.uptimeHearthd': 'Service Hearth en marche depuis',
  'device.timezone': 'Fuseau horaire',
  'device.language': 'Langue',
  'device.claimed': 'Réclamé le {date} depuis {address}',
  'device.claimedWithCode': 'avec le code d’installation',
  'device.loadError': 'Impossible de charger les détails de l’appareil : {message}',

  'health.card': 'État',
  'health.cpu': 'Processeur',
  'health.temperature': 'Température',
  'health.load': 'Charge (1, 5, 15 min)',
  'health.memory': 'Mémoire',
  'health.disk': 'Stockage',
  'health.used': '{used} utilisés sur {total}',
  'health.diskPath': '{used} utilisés sur {total} ({path})',
  'health.percent': 'Occupé à {value}',
  'health.updated': 'Mis à jour à {time}',
  'health.stale': 'L’état n’est pas disponible pour le moment : {message}',
  'health.loading': 'Lecture des capteurs…',

  'passcard.title': 'Changer la phrase de passe',
  'passcard.lead': 'La changer déconnecte toutes les autres sessions (navigateurs et applications) ; celle-ci reste connectée.',
  'passcard.current': 'Phrase de passe actuelle',
  'passcard.next': 'Nouvelle phrase de passe',
  'passcard.confirm': 'Nouvelle phrase de passe (confirmation)',
  'passcard.submit': 'Changer la phrase de passe',
  'passcard.submitting': 'Changement…',
  'passcard.done': 'Phrase de passe changée. Les autres sessions ont été déconnectées.',
  'passcard.required': 'Saisissez votre phrase de passe actuelle.',
  'passcard.same': 'La nouvelle phrase de passe doit être différente de l’actuelle.',

  'tokens.title': 'Jetons d’API',
  'tokens.lead': 'Les jetons permettent à des applications et des scripts d’utiliser l’API de Hearth avec un accès limité. Envoyez-en un comme « Authorization: Bearer … ».',
  'tokens.none': 'Aucun jeton pour l’instant.',
  'tokens.listLabel': 'Vos jetons',
  'tokens.created': 'Créé le {date}',
  'tokens.expires': 'expire le {date}',
  'tokens.expired': 'a expiré le {date}',
  'tokens.lastUsed': 'dernière utilisation le {date}',
  'tokens.revoke': 'Révoquer',
  'tokens.revokeLabel': 'Révoquer le jeton {name}',
  'tokens.revokeTitle': 'Révoquer « {name} » ?',
  'tokens.revokeBody': 'Les applications qui utilisent ce jeton perdent l’accès immédiatement. C’est irréversible.',
  'tokens.revoked': 'Jeton « {name} » révoqué.',
  'tokens.newLegend': 'Nouveau jeton',
  'tokens.name': 'Nom du jeton',
  'tokens.nameHint': 'Ce qui va l’utiliser, par ex. « sauvegarde du téléphone ».',
  'tokens.nameRequired': 'Donnez un nom au jeton.',
  'tokens.scopes': 'Accès',
  'tokens.scopesHint': 'Donnez seulement l’accès dont l’application a besoin.',
  'tokens.data': 'Données',
  'tokens.read': 'Lire',
  'tokens.write': 'Écrire',
  'tokens.allow': 'Autoriser',
  'tokens.scopesRequired': 'Choisissez au moins un type d’accès.',
  'tokens.expiresIn': 'Valable (jours)',
  'tokens.expiresHint': 'De 1 à 365 jours.',
  'tokens.expiresRange': 'Saisissez un nombre de jours entre 1 et 365.',
  'tokens.create': 'Créer le jeton',
  'tokens.creating': 'Création…',
  'tokens.secretTitle': 'Copiez votre nouveau jeton maintenant',
  'tokens.secretLabel': 'Jeton « {name} »',
  'tokens.secretWarning': 'Il n’est affiché qu’une seule fois. Hearth n’en garde qu’une empreinte ; si vous le perdez, révoquez-le et créez-en un autre.',
  'tokens.copy': 'Copier',
  'tokens.copied': 'Copié',
  'tokens.copyFailed': 'Sélectionnez le jeton et copiez-le à la main.',
  'tokens.dismiss': 'Je l’ai copié',
  'tokens.loadError': 'Impossible de charger les jetons : {message}',

  'error.network': 'Hearth ne répond pas. Vérifiez votre connexion et réessayez.',
  'error.rate_limited': 'Trop de tentatives. Réessayez dans {seconds} s.',
  'error.invalid_credentials': 'Ce nom et cette phrase de passe ne correspondent pas.',
  'error.wrong_passphrase': 'La phrase de passe actuelle est incorrecte.',
  'error.setup_code_invalid': 'Ce code d’installation n’est pas le bon. Vérifiez hearth.txt sur la carte SD.',
  'error.setup_done': 'Ce Hearth est déjà installé.',
  'error.generic': 'Une erreur s’est produite ({code}) : {message}',
};

/** French puts a narrow no-break space before ; : ! ? » and after «, so they never start a line. */
function frenchSpacing(dictionary: Dictionary): Dictionary {
  const spaced = { ...dictionary };
  for (const key of Object.keys(spaced) as MessageKey[]) {
    spaced[key] = spaced[key].replace(/ ([;:!?»])/g, '\u202f$1').replace(/« /g, '«\u202f');
  }
  return spaced;
}

const dictionaries: Record<Language, Dictionary> = { en, fr: frenchSpacing(fr) };
export const LANGUAGES: readonly Language[] = ['en', 'fr'];

let current: Language = 'en';
const listeners = new Set<(lang: Language) => void>();

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The first of the browser's preferred languages that Hearth speaks; English otherwise. */
export function detectLanguage(preferred: readonly string[] = navigator.languages ?? [navigator.language]): Language {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

export function getLanguage(): Language {
  return current;
}

/**
 * The locale for numbers and dates: the browser's own regional variant of the UI language
 * (en-GB, fr-CA…) when it has one, so times and dates look the way the owner is used to.
 */
export function formattingLocale(): string {
  const preferred = typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language]);
  return preferred.find((tag) => tag.toLowerCase().split('-')[0] === current) ?? current;
}

export function setLanguage(lang: Language): void {
  current = lang;
  document.documentElement.lang = lang;
  for (const listener of listeners) listener(lang);
}

export function onLanguageChange(listener: (lang: Language) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const template = dictionaries[current][key] ?? en[key];
  return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
}
