// moment.js itself, for tests/test_daily_moment.py: reads one JSON request on stdin, writes
// one JSON answer on stdout. {"format": [[fmt, locale, "YYYY-MM-DDTHH:mm:ss"], ...]} gives
// the names moment writes; {"parse": [[fmt, locale, text], ...]} gives, for each text, the day
// moment's strict mode reads (UTC, so no daylight-saving shift) or null when it rejects it.
const moment = require("moment");
for (const locale of ["fr", "de", "es", "it", "pt", "nl"]) {
  require("moment/locale/" + locale);
}
let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const request = JSON.parse(input);
  const answer = { version: moment.version };
  if (request.format) {
    answer.format = request.format.map(([fmt, locale, when]) =>
      moment.utc(when, "YYYY-MM-DDTHH:mm:ss", true).locale(locale).format(fmt)
    );
  }
  if (request.parse) {
    answer.parse = request.parse.map(([fmt, locale, text]) => {
      const m = moment.utc(text, fmt, locale, true);
      if (!m.isValid()) return null;
      // 24:00 is the next day's midnight to moment; a daily note is dated by its day.
      const hour24 = m.parsingFlags().parsedDateParts[3] === 24;
      return (hour24 ? m.clone().subtract(1, "day") : m).format("YYYY-MM-DD");
    });
  }
  process.stdout.write(JSON.stringify(answer));
});
