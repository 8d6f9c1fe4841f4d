// The source of the hand-made adverts and survey samples of the vantage matching tests
// (test/vantage-clock-offset.test.ts, test/vantage-advert-matcher.test.ts).

export const SOURCE_IP = '10.0.0.1';
