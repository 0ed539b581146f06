/**
 * Where every default timescale comes from: statute, regulation, statutory guidance or local
 * practice, with the citation a safeguarding manager checks and, for legislation, its page on
 * legislation.gov.uk. "As reproduced" marks guidance read in local procedure manuals that quote
 * it, not in the guidance itself (docs/domain.md, "Sources").
 */
import type { Source } from './schema.js';

const REGS_2010 = 'The Care Planning, Placement and Case Review (England) Regulations 2010';
const REGS_2010_URL = 'https://www.legislation.gov.uk/uksi/2010/959/regulation';
const WALES_2015 = 'The Care Planning, Placement and Case Review (Wales) Regulations 2015';
const WALES_2015_URL = 'https://www.legislation.gov.uk/wsi/2015/1818/regulation';
const WT = 'Working Together to Safeguard Children 2023, chapter 3';
const WSP = 'Wales Safeguarding Procedures (safeguarding.wales), children';

const regulation = (citation: string, url: string): Source => ({
  kind: 'regulation',
  citation,
  url,
});

export const SOURCES = {
  ladoNotification: {
    kind: 'local-practice',
    citation:
      'Seed 004, Southampton front door guide, “LADO”: notify the LADO within 24 hours (Working Together 2023 names no hour count)',
  },
  ladoResponse: {
    kind: 'local-practice',
    citation: 'Seed 004, Southampton front door guide, “LADO”: a response within 24 working hours',
  },
  disagreement: {
    kind: 'local-practice',
    citation:
      'Seed 004, Southampton, “Stages of resolving professional differences”: 5 stages, 2 working days each',
  },
  disagreementNorfolk: {
    kind: 'local-practice',
    citation:
      'Seed 002, Norfolk multi-agency working framework: 4 stages (no timescale given; 2 working days a stage is ours)',
  },
  jointSupervision: {
    kind: 'local-practice',
    citation:
      'Seed 001, Camden & Islington joint supervision protocol: at least every 6 months, sooner for high risk',
  },
  buildingBridges: {
    kind: 'local-practice',
    citation: 'Seed 004, Southampton, “Building Bridges”: five-weekly supervision',
  },
  coworking: {
    kind: 'local-practice',
    citation:
      'Seed 000, Walsall co-working protocol: the frequency set at co-allocation, reviewed in supervision',
  },
  referralDecision: {
    kind: 'statutory-guidance',
    citation: `${WT}, assessment of children in need: a decision on next steps within one working day of a referral (as reproduced; paragraph not verified)`,
  },
  assessment: {
    kind: 'statutory-guidance',
    citation: `${WT}, timeliness of assessment: “no longer than 45 working days from the point of referral” (as reproduced; paragraph not verified)`,
  },
  initialConference: {
    kind: 'statutory-guidance',
    citation: `${WT}, initial child protection conferences: within 15 working days of the strategy discussion at which section 47 enquiries were initiated, where more than one was held (as reproduced by the Sussex, Devon and Bexley procedures)`,
  },
  reviewConference: {
    kind: 'statutory-guidance',
    citation: `${WT}, child protection review conference: the first within 3 months of the initial conference, then not more than 6 months apart (as reproduced by the Sussex and Tees procedures)`,
  },
  coreGroup: {
    kind: 'statutory-guidance',
    citation: `${WT}, the core group: the first within 10 working days of the initial conference (as reproduced); the 6-weekly interval after it is local practice (Tees)`,
  },
  cpVisit: {
    kind: 'local-practice',
    citation:
      'No national frequency in England: Working Together 2023 sets none. 10 working days is a common local standard (Liverpool “every 10 working days”)',
  },
  claVisit: regulation(
    `${REGS_2010}, regulation 28(2): within one week of the start of any placement, then at intervals of not more than six weeks`,
    `${REGS_2010_URL}/28`,
  ),
  claVisitBases: {
    until18: regulation(
      `${REGS_2010}, regulation 28(2)(c)(i): after the first year of a placement intended to last until the child is 18, at intervals of not more than three months`,
      `${REGS_2010_URL}/28`,
    ),
    withParent: regulation(
      `${REGS_2010}, regulation 28(3) (regulation 19, placed with a parent before assessment): at least once a week until the first review, then at intervals of not more than six weeks`,
      `${REGS_2010_URL}/28`,
    ),
    connected: regulation(
      `${REGS_2010}, regulation 28(4) (regulation 24 temporary approval, or an interim care order with the child living with a parent): at least once a week until the first review, then at intervals of not more than four weeks`,
      `${REGS_2010_URL}/28`,
    ),
    careOrderAtHome: regulation(
      `${REGS_2010}, regulation 28(5) (a care order, the child living with a parent): within one week of the making of the care order, then at intervals of not more than six weeks`,
      `${REGS_2010_URL}/28`,
    ),
    shortBreaks: regulation(
      `${REGS_2010}, regulation 48(3)(c) (short breaks): on days the child is placed, at regular intervals agreed with the IRO and recorded in the care plan`,
      `${REGS_2010_URL}/48`,
    ),
  },
  claReview: regulation(
    `${REGS_2010}, regulation 33: the first review within 20 working days of the date the child becomes looked after, the second not more than three months after the first, then at intervals of not more than six months`,
    `${REGS_2010_URL}/33`,
  ),
  careProceedings: {
    kind: 'statute',
    citation:
      'Children Act 1989, section 32(1)(a)(ii): “within twenty-six weeks beginning with the day on which the application was issued”; section 32(5): extensions',
    url: 'https://www.legislation.gov.uk/ukpga/1989/41/section/32',
  },
  walesAssessment: {
    kind: 'statutory-guidance',
    citation:
      'Social Services and Well-being (Wales) Act 2014, Part 3 code of practice: an assessment within 42 working days of the referral (as reproduced)',
  },
  walesSeenAlone: {
    kind: 'local-practice',
    citation: `${WSP}, section 4 (care and support protection plans): the child seen alone at least every 10 working days (as the product's domain reference gives it; the part's wording not checked here)`,
  },
  walesSeenAtHome: {
    kind: 'local-practice',
    citation: `${WSP}, section 4 (care and support protection plans): the child seen at home at least every 4 weeks (as the product's domain reference gives it; the part's wording not checked here)`,
  },
  walesClaVisit: regulation(
    `${WALES_2015}, regulation 31(2): the same visits as England's regulation 28(2)`,
    `${WALES_2015_URL}/31`,
  ),
  walesBases: {
    until18: regulation(`${WALES_2015}, regulation 31(2)(c)(i)`, `${WALES_2015_URL}/31`),
    withParent: regulation(
      `${WALES_2015}, regulation 31(3) (regulation 20, placed with a parent before assessment)`,
      `${WALES_2015_URL}/31`,
    ),
    connected: regulation(
      `${WALES_2015}, regulation 31(4) (regulation 26 temporary approval, or an interim care order at home)`,
      `${WALES_2015_URL}/31`,
    ),
    careOrderAtHome: regulation(`${WALES_2015}, regulation 31(5)`, `${WALES_2015_URL}/31`),
    shortBreaks: regulation(
      `${WALES_2015}, regulation 62(3)(c) (short breaks): at regular intervals agreed with the IRO`,
      `${WALES_2015_URL}/62`,
    ),
  },
  walesClaReview: regulation(
    `${WALES_2015}, Part 6 (reviews): England's timings applied; the Welsh regulation's text was not checked here`,
    'https://www.legislation.gov.uk/wsi/2015/1818/part/6',
  ),
} as const satisfies Record<string, Source | Record<string, Source>>;
