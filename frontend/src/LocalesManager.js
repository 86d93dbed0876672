// Languages: the user's language picks the modules' translation files; messages are always
// injected as the "en" locale, so react-intl formats them without locale data.
const translationFileByLanguage = { en: "en", "en-GB": "en", "en-US": "en" };

export default class LocalesManager {
  getLocale() {
    return "en";
  }

  getFileNameByLang(language) {
    return translationFileByLanguage[language] ?? "en";
  }
}
