//! Guidance: the forward-looking figures management gives for a period ("we now expect full-year revenue of $4.2 to
//! $4.4 billion", "Q3 gross margin of approximately 41%", "we are reaffirming our EPS outlook"), each with the metric,
//! the period it is for (resolved against the call's own fiscal period), its values and the stance of the words.
//!
//! # What is guidance
//! A sentence of an executive's turn (never an analyst's question or the operator) that looks forward (`expect`,
//! `guidance`, `outlook`, `anticipate`, `forecast`, `target`, `reaffirm`, `raise … to`, `should be`, `will be in the
//! range of` …), and each figure of it that stands in a forward-looking clause. Left out, by rule:
//! - historical figures: a clause with a past-tense result verb and no forward word ("revenue grew 12%"), and the
//!   old value of a change ("raising EPS to $2.45 from $2.38": `from`, `versus`, `compared to`, `last year`);
//! - comparisons with guidance already given ("above the high end of our guidance", "better than expected");
//! - consensus and the Street's numbers, whoever quotes them;
//! - long-term aspirations without a fiscal period ("over time", "long-term", "multi-year", "algorithm", "CAGR",
//!   "over the next three years"): not stored at all;
//! - figures that are not a quantity of the business: counts without a subject.
//!
//! A withdrawal ("we are withdrawing our guidance") is a statement without values.
//!
//! # Period
//! The period a figure is for is the nearest period the sentence names before it (else after it), else the last one
//! the turn named, else the call's own fiscal year (the next one on a fourth-quarter call, whose outlook is for the
//! year ahead). `next quarter` is the quarter after the call's; a quarter at or before the call's quarter is next
//! year's; `second half` likewise; `full year` on a fourth-quarter call is the year ahead.

use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use regex::{Regex, RegexSet};
use serde::Serialize;

use super::metrics::{self, MetricKind};

/// The fiscal period of the call a statement was made on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallPeriod {
    pub fiscal_year: i64,
    pub fiscal_quarter: i64,
}

/// The period guidance is for: a fiscal year, one of its quarters, or one of its halves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub fiscal_year: i64,
    /// 1–4 for a quarter.
    pub quarter: Option<i64>,
    /// 1–2 for a half.
    pub half: Option<i64>,
}

impl Period {
    fn year(fiscal_year: i64) -> Period {
        Period { fiscal_year, quarter: None, half: None }
    }

    /// `FY2021`, `2021 Q3`, `H2 2021`.
    pub fn label(&self) -> String {
        match (self.quarter, self.half) {
            (Some(q), _) => format!("{} Q{q}", self.fiscal_year),
            (None, Some(h)) => format!("H{h} {}", self.fiscal_year),
            (None, None) => format!("FY{}", self.fiscal_year),
        }
    }

    /// `year`, `quarter` or `half`.
    pub fn kind(&self) -> &'static str {
        match (self.quarter, self.half) {
            (Some(_), _) => "quarter",
            (None, Some(_)) => "half",
            (None, None) => "year",
        }
    }
}

/// What the speaker's words say they are doing with the figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stance {
    Initiate,
    Raise,
    Lower,
    Reaffirm,
    Narrow,
    Widen,
    Withdraw,
    /// A plain "we expect", with no word of change.
    Stated,
}

impl Stance {
    pub fn as_str(self) -> &'static str {
        match self {
            Stance::Initiate => "initiate",
            Stance::Raise => "raise",
            Stance::Lower => "lower",
            Stance::Reaffirm => "reaffirm",
            Stance::Narrow => "narrow",
            Stance::Widen => "widen",
            Stance::Withdraw => "withdraw",
            Stance::Stated => "stated",
        }
    }
}

/// One guided figure (or a withdrawal).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Guidance {
    /// What it measures, in the figures' vocabulary (`revenue`, `EPS`, `gross margin`, `tax rate`, …); `None` when the
    /// sentence names nothing more specific than guidance itself (a withdrawal of all guidance).
    pub metric: Option<String>,
    /// `level` (revenue of $4.2 billion, a 41% margin) or `growth` (revenue up 8% to 10%).
    pub measure: &'static str,
    pub period: Option<Period>,
    /// Low and high ends; equal for a single figure; `None` for a withdrawal. An open end ("at least $1 billion")
    /// has the figure as its low and no high.
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// `USD` (or another currency), `USD/share`, `%`, `bps`, `x`, or the counted noun.
    pub unit: Option<String>,
    pub stance: Stance,
    /// `adjusted` (adjusted, non-GAAP, organic, constant currency) or `reported` (GAAP), when the sentence says.
    pub basis: Option<&'static str>,
    /// The figure as said, and where it is in the turn's text (characters).
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// The whole sentence.
    pub sentence: String,
}

/// Compiles a pattern with ASCII word boundaries and word characters: Unicode `\b` keeps the regex engine off its
/// fast path, and the words these patterns look for are English.
fn re(pattern: &str) -> Regex {
    let ascii = pattern.replace(r"\b", r"(?-u:\b)").replace(r"\w", "[0-9A-Za-z_]");
    Regex::new(&ascii).expect("valid regex")
}

/// Words that look forward.
static FORWARD_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:expect(?:s|ed|ing|ations?)?|anticipat\w*|guid(?:e|es|ed|ing|ance)|outlook|forecast\w*|projected|projecting|target(?:s|ing|ed)?|plan(?:s|ned)? (?:to|for)|estimat(?:e|es|ed|ing)|assum(?:e|es|ed|ing|ptions?)|should (?:be|come|range|land|remain|grow|increase|decline|approximate|see)|will (?:be|come in|range|grow|increase|decline|remain|approximate|shrink)|to (?:be|come in|land|range|grow|increase|decline|remain|shrink) (?:in|at|between|around|approximately|about|roughly|by|from|up|down|flat)|(?:rais|lower|increas|reduc|revis|mov|tak)\w* (?:that|it|this|them|those) (?:up |down )?to|now (?:we )?(?:think|believe)|(?:rais|lower|increas|reduc|lift|cut|trimm?)\w* (?:our|the|its) (?:full[- ]year|fiscal|annual|20\d\d|Q[1-4]|(?:first|second|third|fourth)[- ]quarter)|(?:guidance|outlook|plan|forecast|targets?) (?:has |have )?(?:gone|moved|increased|decreased|risen|fallen|changed) (?:from|to|up|down)|implie[sd]|(?:'ll|’ll) (?:be|see|come in|range|grow|remain)|(?:not able|unable) to (?:quantify|provide|give|issue)|reaffirm\w*|reiterat\w*|(?:rais|lower|increas|reduc|updat|cut|trimm?|lift|narrow|widen|tighten)\w* (?:our|the|its) (?:\w+ ){0,4}(?:guidance|outlook|range|forecast|expectations?|targets?|guide)|narrowing|widening|(?:withdr[ae]w|suspend)\w* (?:[\w'-]+ ){0,4}(?:guidance|outlook|forecast)|maintain(?:s|ed|ing)? (?:our|the|its) (?:[\w-]+ ){0,4}(?:guidance|outlook|forecast|targets?|expectations?|range|guide|plan)|now see|we see|looking for|calling for|update[ds]? (?:our|the|its)|going forward|next (?:quarter|year)|(?:not|don't|do not|won't|will not) (?:intend to )?(?:provid|giv|reinstat|issu)\w*|pull(?:ed|ing)? (?:our |the )?guidance)\b",
    )
});

/// Phrases that mention guidance or expectations only to compare a result with them.
static COMPARED_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:(?:than|as)[- ](?:what )?(?:we |I )?(?:had |originally |previously |initially )?(?:expected|anticipated|guided|forecast(?:ed)?|planned|projected|assumed)|(?:we|I) (?:had )?(?:originally |previously |initially )?(?:expected|anticipated|projected|forecasted|targeted|predicted)|estimat\w* (?:that )?(?:\w+ ){0,3}(?:caused|was|were|had|cost|contributed)|(?:above|exceed\w*|beat|ahead of|in line with|within|at|toward|towards|near|met|topped|surpass\w*|favorable to|unfavorable to|below|short of|missed) (?:the |our )?(?:high |low |top |upper |bottom )?(?:end (?:of )?)?(?:the |our )?(?:prior |previous |original |initial |earlier |historical )?(?:(?:first|second|third|fourth)[- ]quarter |Q[1-4] |full[- ]year |annual |20\d\d )?(?:(?:guidance|outlook|guided|guide|forecast|plan)(?: range)?|range|expectations?|targets?)(?: of)?|(?:previously|originally|initially|had) (?:guided|expected|anticipated|forecast)|expectations? (?:we|that we) (?:had|set|gave)|last (?:quarter|year|call),? we (?:said|guided|expected|indicated)|(?:our |the )?(?:prior|previous|original|initial|earlier|last|old)(?: \w+){0,2} (?:guidance|guide|outlook|plan|targets?|forecast)|(?:guidance|guide|outlook|forecast|plan|targets?) (?:was|were|had been|called for)|(?:were|was|had been) (?:expecting|anticipating|projecting|forecasting|guiding)|(?:exceed\w*|beat|above|ahead of|surpass\w*) (?:the |our )?(?:internal |own )?(?:expectations?|plans?|forecasts?)|when we (?:first )?(?:gave|set|provided|issued|put)(?: out)?(?: (?:our|the|an?|that))?(?: [\w-]+){0,3} (?:guidance|guide|outlook|targets?|forecast)|(?:guidance|guide|outlook|forecast|plan)(?: [\w'-]+){1,5} (?:was|were|had been|called for)|(?:began|started|entered|came into) the year (?:\w+ )?(?:targeting|expecting|forecasting|guiding|anticipating|projecting|planning)|(?:in|back in|as of) (?:January|February|March|April|May|June|July|August|September|October|November|December|the spring|the summer|the fall),? (?:\w+ ){0,2}(?:we|I) (?:anticipated|expected|projected|forecast(?:ed)?|guided|targeted|predicted|assumed|estimated|said)|what we (?:predicted|anticipated|expected|projected|assumed|forecast(?:ed)?)|(?:than|what) (?:we |I )?would have (?:expected|anticipated|thought|guided|forecast))\b",
    )
});

/// What would have been: never guidance.
static COUNTERFACTUAL_RE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(?:would|could|might) have (?:been|grown|increased|declined|come in|had)\b"));

static CONSENSUS_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(?:consensus|the street|street(?:'s)? (?:estimates?|expectations?|numbers?)|sell[- ]side)\b")
});

/// Aspirations without a fiscal period.
static LONG_TERM_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:long[- ]term|longer[- ]term|over time|multi[- ]year|algorithm|CAGR|compound(?:ed)? annual|over the (?:next|coming) (?:several|few|couple of|\d+|two|three|four|five|ten) years|through (?:the )?(?:end of )?20\d\d|investor day|in the (?:long|medium|mid)[- ]term|medium[- ]term|mid[- ]term|over the cycle|through the cycle|run[- ]rate)\b",
    )
});

/// A forward word that is the noun "target" (not the verb: "we're targeting EPS of …" plans for the year).
static TARGET_RE: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^targets?$"));

/// Verbs that report a result already in.
static PAST_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:was|were|grew|increased|decreased|declined|rose|fell|came in|delivered|reported|generated|achieved|totaled|totalled|ended|finished|posted|improved|expanded|contracted|dropped|had|saw|returned|repurchased|paid|closed|did|done|been)\b",
    )
});

/// Words before a figure that make it the old value or the comparison base, not the guided one.
static BASE_BEFORE_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:from|versus|vs\.?|compared (?:to|with)|relative to|up from|down from|over\s+(?:the\s+|our\s+|its\s+)?(?:prior|previous|last|original|year[- ]ago)(?:\s+[\w'-]+){0,3}?(?:\s+of)?|against|previous(?:ly)?|prior(?: guidance| outlook| range)?(?: of)?|last year'?s?|a year ago|of last year|(?:above|exceed\w*|beyond|over) the (?:high|top|upper) end of|(?:below|under) the (?:low|bottom|lower) end of|(?:exceed|surpass|beat)\w*\s+(?:that|those))\s+(?:(?:our|the|a|an|its|that)\s+)?(?:(?:prior|previous|previously [\w-]+|original|originally [\w-]+|earlier|initial|historical|last)\s+(?:[\w'-]+\s+){0,3}(?:guidance|guide|outlook|range|expectations?|targets?|forecast|plan|model|estimate)\s+(?:of\s+|range of\s+)?|(?:guidance|guide|outlook|range|expectations?)\s+(?:of\s+)?)?(?:(?:approximately|about|roughly|around|nearly)\s+)?$|\b(?:exceed|surpass|beat)\w*\s+(?:our|the)\s+(?:prior|previous|previously [\w-]+|original|originally [\w-]+|earlier|initial)\s+(?:[\w'-]+\s+){0,3}(?:guidance|guide|outlook|range|expectations?|targets?|forecast)\s+(?:of\s+)?(?:(?:approximately|about|roughly|around)\s+)?$|\b(?:our|the|its)\s+(?:prior|previous|original|initial|earlier|old)\s+(?:(?:approximately|about|roughly|around)\s+)?$",
    )
});

/// A "from" that opens a range ("could range from $330 million to $360 million") is not the old value's.
static RANGE_FROM_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(?:range[sd]?|ranging|anywhere|vary|varying)\s+from\s+(?:(?:approximately|about|roughly|around)\s+)?$")
});

static FROM_BEFORE_RE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\bfrom\s+(?:(?:approximately|about|roughly|around)\s+)?$"));
static CHANGE_WORD_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:rais\w*|lower\w*|increas\w*|reduc\w*|revis\w*|updat\w*|lift\w*|cut\w*|trimm?\w*|narrow\w*|widen\w*|up|down|mov\w*|gone|chang\w*|grow\w*|declin\w*|improv\w*|expand\w*|go(?:es|ing)?|went)\b",
    )
});

/// Words that open a phrase before the main clause ("Excluding …, we expect"; "And including …, we expect").
static ADJUNCT_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(?:(?:and|so|but|now)\s+)?(?:excluding|including|with|assuming|given|reflecting|net of|after|before|ex)\b",
    )
});

/// A figure said to be more or less than an earlier one ("20 basis points higher than we assumed in our prior
/// guidance") is the difference, not a guided figure.
static DIFFERENCE_AFTER_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(?:(?:percentage )?points?\s+)?(?:higher|lower|more|less|above|below|better|worse|ahead)\s+(?:than|of)\s+(?:what\s+)?(?:we\s+|I\s+)?(?:had\s+)?(?:assumed|expected|anticipated|guided|planned|forecast|projected|previously|originally|our|the prior|the previous|the original)\b",
    )
});

/// The size of a headwind to a rate or an amount, said before the word ("a 100 basis point headwind", "$0.04 headwind
/// from foreign exchange", "50 bps of headwind") or, for a rate, after it ("a margin headwind of 50 to 100 basis
/// points"), is its negative impact; "a headwind of $0.65 per share" names the headwind's own size and stays positive.
static HEADWIND_AFTER_RE: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^\s*(?:of\s+)?(?:headwinds?|drag|dilution)\b"));
static RATE_HEADWIND_BEFORE_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:headwinds?|drag|dilution)(?:\s+(?:to|on|from)\s+[\w-]+)?\s+(?:of|in the range of|at)\s+(?:(?:approximately|about|roughly|around)\s+)?$",
    )
});

/// The high end of an old range after the new one ("to $2.45 to $2.47 from $2.38 to $2.42").
static OLD_RANGE_RE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(?:from|versus|vs\.?|compared (?:to|with))\s+\S+\s+(?:to|-|–)\s*$"));

/// A figure right after these words is the size of a change whose new level follows ("raising guidance by $1.5 billion
/// to $42 billion"): the level is the guidance.
static BY_BEFORE_RE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\bby\s+(?:(?:approximately|about|roughly|around|more than|over)\s+)?$"));
static TO_AFTER_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(?:per (?:diluted )?share\s+)?to\s+(?:(?:a|the|a new) range of\s+)?(?:approximately\s+|about\s+|roughly\s+|at least\s+|between\s+)?[$€£0-9]",
    )
});

/// Words that say the guidance itself is revised: a figure "by" which it moves is the size of the revision, not a
/// guided figure ("raising our savings guidance by $20 million to …", "raising the midpoint by $0.15"); a figure by
/// which the business itself moves ("capex to be reduced by 60%") is growth, and stays.
static REVISED_GUIDE_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:guidance|guide|outlook|forecast|targets?|range|mid-?point|expectations?|framework)\b(?:\s+[\w'-]+){0,3}\s+by\s+(?:(?:approximately|about|roughly|around|more than|over)\s+)?$",
    )
});

/// The size of a revision said of the midpoint ("an increase of $0.02 at the midpoint", "up 150 basis points at the
/// midpoint from our prior outlook").
static CHANGE_BEFORE_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:an? (?:increase|decrease|reduction|improvement|raise|cut|change) of|up|down|higher|lower|by)\s+(?:(?:more than|less than|approximately|about|roughly|nearly|over)\s+)?$",
    )
});
static MIDPOINT_AFTER_RE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^\s*(?:per (?:diluted )?share\s+)?at the mid-?point\b"));

/// The old value of a revision said without "from" ("raising our savings target of $150 million to at least $200
/// million"): a figure that the sentence moves "to" a new figure, in a sentence that says the guidance is revised.
static REVISION_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:rais|lower|increas|reduc|revis|updat|lift|cut|trimm|mov|adjust|chang)\w*\b(?:\s+[\w'-]+){0,6}\s+(?:guidance|guide|outlook|forecast|targets?|range|expectations?|plan)\b",
    )
});

/// Clauses about something other than a guided figure of the business: aspirations with no fiscal period (an
/// evergreen or investor-day target, savings "once fully implemented", a cumulative multi-year sum), the economy or an
/// industry (unemployment, vehicle builds, market shipments), and hedges, debt coming due or a bank's borrowing base.
static NOT_GUIDED_CLAUSE_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:evergreen|analyst day|investor day|fully (?:implemented|realized|ramped)|once (?:\w+ ){0,3}(?:complete|completed|implemented|realized)|cumulative|(?:two|three|four|five|ten|\d+)[- ]year (?:period|plan|target|savings|program|cumulative|total)|unemployment|GDP|(?:car|vehicle|light truck|auto(?:motive)?) (?:\w+ ){0,2}builds|(?:global|industry|market) (?:\w+ ){0,3}(?:shipments|builds|supply|adoption)|hedged|coming due|borrowing base|win rate|business model)\b",
    )
});

/// A year or quarter named as the base of a comparison ("growth over 2019", "versus third quarter 2023") is not the
/// period the figure is for.
static BASE_PERIOD_BEFORE_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:over|versus|vs\.?|compared (?:to|with)|relative to|from|since|than|above|below)\s+(?:the\s+)?(?:prior[- ]year\s+)?$",
    )
});

/// "over the" before a period: the span the figure is reached over, not a base of comparison.
static OVER_THE_RE: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\bover\s+the\s+$"));

/// "The remainder (rest, balance) of the year": the quarters after the call's.
static REMAINDER_RE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\b(?:remainder|rest|balance) of (?:the |this )?(?:fiscal )?(?:year|20\d\d)\b"));

/// Between a figure and a period phrase that follows it and binds to it ("$0.40 to $0.55 in the second half", "50 to
/// 70 basis points for the full year", "a $500 million target for the full year").
static TRAILING_PERIOD_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(?:(?:per (?:diluted )?share|of (?:growth|headwind|tailwind|revenue|sales)|basis points?|bps|range|target|growth|headwind|tailwind|or (?:so|more)|plus|higher|lower|year[- ]over[- ]year|year[- ]on[- ]year)\s+){0,3},?\s*(?:for|in|during|over|of)\s+(?:the\s+)?$",
    )
});

/// A fall said in words ("down 2% to 6%", "a decline of 3%", "minus 1%"): the figure is negative.
static DOWN_BEFORE_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:down|declin\w*|decreas\w*|reduc\w*|lower by|fall(?:s|ing)?|drop\w*|contract\w*|shrink\w*|minus|negative(?:ly)?(?: impact\w*)?|(?:downside )?risk)\b(?:\s+in(?:\s+[\w'-]+){1,3})?(?:\s+(?:by|of|about|approximately|roughly|around|in the range of|between|another|an additional))*\s*$|\b(?:reduc\w*|negatively impact\w*|lower(?:s|ed|ing)?|cut(?:s|ting)?)(?:\s+[\w'-]+){1,3}\s+by\s+(?:(?:approximately|about|roughly|around)\s+)?$",
    )
});

/// Words that say a figure is an update of one already given ("we now expect"), so not the year's first outlook.
static UPDATED_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:now (?:expect|anticipate|estimate|see|project|forecast|assume|believe|think|look for)|(?:guidance|outlook) (?:now|still)|updat\w*)\b",
    )
});

static STANCE_RULES: LazyLock<Vec<(Stance, Regex)>> = LazyLock::new(|| {
    vec![
        (
            Stance::Withdraw,
            re(
                r"(?i)\b(?:(?:withdr[ae]w|suspend)\w* (?:[\w'-]+ ){0,4}(?:guidance|outlook|forecast)|no longer (?:provid|giv)\w*|pull(?:ed|ing)? (?:our |the )?(?:guidance|outlook)|rescind\w*|(?:not|don't|do not|won't|will not) (?:to )?(?:intend to )?(?:provid|giv|reinstat|issu|updat)\w*(?: (?:any|formal|updated|specific|full[- ]year|financial|our|an?|20\d\d))* (?:guidance|outlook)|(?:not able|unable) to (?:quantify|provide|give|issue)\w*(?: [\w'-]+){0,3} (?:guidance|outlook))\b",
            ),
        ),
        (Stance::Narrow, re(r"(?i)\b(?:narrow\w*|tighten\w*)\b")),
        (Stance::Widen, re(r"(?i)\b(?:widen\w*|broaden\w*)\b")),
        (
            Stance::Reaffirm,
            re(
                r"(?i)\b(?:reaffirm\w*|reiterat\w*|maintain(?:s|ed|ing)? (?:our|the|its)|confirm(?:s|ed|ing)? (?:our|the|its)|remains? unchanged|unchanged|continue to (?:expect|anticipate|see|forecast|project)|still (?:expect|anticipate|see|assume)\w*|remain (?:comfortable|confident) (?:with|in)|(?:is|are|remains?) (?:still )?on track|stand(?:s)? by)\b",
            ),
        ),
        (
            Stance::Raise,
            re(
                r"(?i)\b(?:rais(?:e|es|ed|ing)|increas(?:e|es|ed|ing) (?:our|the|its) (?:\w+ ){0,4}(?:guidance|outlook|range|forecast|expectations?|target)|upgrad\w*|lift(?:s|ed|ing)? (?:our|the|its)|(?:guidance|outlook|range) (?:up|higher)|updat\w* (?:\w+ ){0,3}upward|now (?:expect|anticipate|see|forecast) (?:\w+ ){0,6}(?:higher|above|stronger|better)|(?:higher|above|better) than (?:our )?(?:prior|previous|original)|(?:is|are|was|were|been|being) (?:raised|increased|revised up\w*)|up from (?:our |the )?(?:prior|previous|original))\b",
            ),
        ),
        (
            Stance::Lower,
            re(
                r"(?i)\b(?:lower(?:s|ed|ing)? (?:our|the|its)|reduc(?:e|es|ed|ing) (?:our|the|its) (?:\w+ ){0,4}(?:guidance|outlook|range|forecast|expectations?|target)|cut(?:s|ting)? (?:our|the|its)|downgrad\w*|trim(?:s|med|ming)? (?:our|the|its)|updat\w* (?:\w+ ){0,3}downward|now (?:expect|anticipate|see|forecast) (?:\w+ ){0,6}(?:lower|below|weaker)|(?:lower|below) than (?:our )?(?:prior|previous|original)|(?:is|are|was|were|been|being) (?:lowered|reduced|cut|revised down\w*)|down from (?:our |the )?(?:prior|previous|original)|adjust\w* (?:\w+ ){0,8}down)\b",
            ),
        ),
        (
            Stance::Initiate,
            re(
                r"(?i)\b(?:introduc\w*|initiat\w*|establish\w* (?:our|the|an?)|(?:our|an?) (?:initial|first) (?:\w+ ){0,3}(?:guidance|outlook)|provid\w* (?:our|an?) (?:initial|first)|reinstat\w*)\b",
            ),
        ),
    ]
});

/// [`STANCE_RULES`] as one set, in the same order.
static STANCE_SET: LazyLock<RegexSet> =
    LazyLock::new(|| RegexSet::new(STANCE_RULES.iter().map(|(_, re)| re.as_str())).expect("valid regexes"));

/// Names of quantities guidance speaks of that the figures' subjects do not name, tried before them.
static EXTRA_METRICS: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    [
        ("tax rate", r"tax rate"),
        ("operating expenses", r"operating expenses|opex|operating costs"),
        ("SG&A", r"SG&A|selling,? general and administrative"),
        ("interest expense", r"interest expense"),
        ("share count", r"share count|diluted shares|shares outstanding"),
        ("depreciation and amortization", r"depreciation and amortization|D&A|depreciation"),
        ("net interest income", r"net interest income|NII"),
        ("same-store sales", r"same[- ]store sales|comparable (?:store )?sales|comps"),
        ("FFO", r"(?:core |normalized |adjusted )?FFO|funds from operations"),
        ("restructuring charges", r"restructuring (?:charges?|costs?)"),
    ]
    .into_iter()
    .map(|(name, p)| (name, re(&format!(r"(?i)\b(?:{p})\b"))))
    .collect()
});

static GROWTH_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:grow\w*|growth|increas\w*|up|declin\w*|down|decrease\w*|expand\w*|contract\w*|improv\w*|higher|lower)\b",
    )
});

static ADJUSTED_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b(?:adjusted|non-GAAP|organic(?:ally)?|constant[- ]currency|operational|core|ex-|excluding)\b")
});
static REPORTED_RE: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\b(?:GAAP|reported)\b"));

/// Period mentions, each with what it names.
static QUARTER_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)[- ]quarter|Q(?P<qn>[1-4])|(?P<nq>[1-4])Q|(?P<next>next|coming|current|upcoming) quarter)(?:\s+(?:of\s+)?(?:(?:fiscal\s+(?:year\s+)?|FY\s?)?(?:'|20)(?P<qy>\d\d)\b|(?:the|this)\s+(?:fiscal\s+)?year\b))?",
    )
});
static HALF_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:(?P<h>first|second|back|front|1st|2nd)[- ]half|H(?P<hn>[12]))(?:\s+(?:of\s+)?(?:(?:fiscal\s+(?:year\s+)?|FY\s?)?(?:'|20)(?P<hy>\d\d)\b|(?:the|this)\s+(?:fiscal\s+)?year\b))?",
    )
});
static YEAR_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:(?:fiscal|calendar)\s+(?:year\s+)?(?:'|20)?(?P<fy>\d\d)\b|FY\s?'?(?:20)?(?P<fy2>\d\d)\b|(?P<y>20\d\d)\b|(?P<next>next|coming) (?:fiscal )?year|(?P<full>full[- ]year|fiscal year|for the year|this year|the year|annual|year[- ]end|end of (?:the|this) year))",
    )
});

/// Splits a text into sentences: at `.`, `?` or `!` followed by white space and a capital, digit or quote, or at a
/// paragraph break. Decimals (`$4.2`) and initials before a lower-case word do not end one.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let end_here = if b == b'\n' {
            Some(i)
        } else if matches!(b, b'.' | b'?' | b'!') {
            let mut j = i + 1;
            while j < bytes.len() && matches!(bytes[j], b'"' | b')' | b'\'') {
                j += 1;
            }
            let after_space = j < bytes.len() && bytes[j] == b' ';
            let next = text[j..].trim_start_matches(' ').chars().next();
            if j >= bytes.len()
                || (after_space
                    && next.is_some_and(|c| {
                        c.is_uppercase() || c.is_ascii_digit() || c == '"' || c == '$' || c == '\u{201C}'
                    }))
            {
                Some(j)
            } else {
                None
            }
        } else {
            None
        };
        if let Some(end) = end_here {
            if text[start..end].trim().len() > 1 {
                let lead = text[start..end].len() - text[start..end].trim_start().len();
                out.push(start + lead..end);
            }
            start = end;
            while start < bytes.len() && matches!(bytes[start], b' ' | b'\n' | b'\r' | b'\t') {
                start += 1;
            }
            i = start;
            continue;
        }
        i += 1;
    }
    if text[start..].trim().len() > 1 {
        let lead = text[start..].len() - text[start..].trim_start().len();
        out.push(start + lead..text.len());
    }
    out
}

/// A two-digit or four-digit year as a fiscal year near the call's (`'22`, `22`, `2022`).
fn year_of(two_or_four: &str, call: CallPeriod) -> Option<i64> {
    let n: i64 = two_or_four.parse().ok()?;
    let year = if n < 100 { 2000 + n } else { n };
    (year >= call.fiscal_year - 1 && year <= call.fiscal_year + 3).then_some(year)
}

/// The year a `full year` without a number means: the call's own, or on a fourth-quarter call the year ahead.
fn default_year(call: CallPeriod) -> i64 {
    if call.fiscal_quarter == 4 {
        call.fiscal_year + 1
    } else {
        call.fiscal_year
    }
}

/// Every period the sentence names, with its byte offset.
fn periods_named(sentence: &str, call: CallPeriod) -> Vec<(usize, Period)> {
    let mut found = Vec::new();
    if !may_name_period(sentence) {
        return found;
    }
    let mut taken: Vec<Range<usize>> = Vec::new();
    for c in QUARTER_RE.captures_iter(sentence) {
        let m = c.get(0).expect("match");
        let explicit = c.name("qy").and_then(|y| year_of(y.as_str(), call));
        let quarter = if c.name("next").is_some() {
            match c["next"].to_lowercase().as_str() {
                "current" => None,
                _ => Some(call.fiscal_quarter % 4 + 1),
            }
        } else {
            let q = c.name("qn").or(c.name("nq")).map(|q| q.as_str().parse::<i64>().unwrap_or(0));
            q.or_else(|| {
                Some(match c["ord"].to_lowercase().as_str() {
                    "first" | "1st" => 1,
                    "second" | "2nd" => 2,
                    "third" | "3rd" => 3,
                    _ => 4,
                })
            })
        };
        // "over the coming quarters": several quarters, none in particular.
        let plural = c.name("qy").is_none() && sentence[m.end()..].starts_with(['s', 'S']);
        let Some(quarter) = quarter.filter(|_| !plural) else { continue };
        let year =
            explicit.unwrap_or(if quarter <= call.fiscal_quarter { call.fiscal_year + 1 } else { call.fiscal_year });
        taken.push(m.range());
        found.push((m.start(), Period { fiscal_year: year, quarter: Some(quarter), half: None }));
    }
    for c in HALF_RE.captures_iter(sentence) {
        let m = c.get(0).expect("match");
        let half = match c.name("hn") {
            Some(h) => h.as_str().parse().unwrap_or(2),
            None => match c["h"].to_lowercase().as_str() {
                "first" | "front" | "1st" => 1,
                _ => 2,
            },
        };
        let explicit = c.name("hy").and_then(|y| year_of(y.as_str(), call));
        let ahead = if half == 1 { call.fiscal_quarter < 2 } else { call.fiscal_quarter < 4 };
        let year = explicit.unwrap_or(if ahead { call.fiscal_year } else { call.fiscal_year + 1 });
        taken.push(m.range());
        found.push((m.start(), Period { fiscal_year: year, quarter: None, half: Some(half) }));
    }
    for c in YEAR_RE.captures_iter(sentence) {
        let m = c.get(0).expect("match");
        if taken.iter().any(|t| t.start <= m.start() && m.start() < t.end) {
            continue;
        }
        let year = if let Some(y) = c.name("fy").or(c.name("fy2")).or(c.name("y")) {
            match year_of(y.as_str(), call) {
                Some(y) => y,
                None => continue,
            }
        } else if c.name("next").is_some() {
            call.fiscal_year + 1
        } else {
            default_year(call)
        };
        found.push((m.start(), Period::year(year)));
    }
    for m in REMAINDER_RE.find_iter(sentence) {
        if taken.iter().any(|t| t.start <= m.start() && m.start() < t.end) {
            continue;
        }
        // After a second-quarter call the rest of the year is its second half; after a third, its fourth quarter.
        let period = match call.fiscal_quarter {
            2 => Period { fiscal_year: call.fiscal_year, quarter: None, half: Some(2) },
            3 => Period { fiscal_year: call.fiscal_year, quarter: Some(4), half: None },
            _ => continue,
        };
        found.retain(|(at, _)| !(m.start() <= *at && *at < m.end()));
        found.push((m.start(), period));
    }
    // A period named as the base of a comparison is not one a figure is for; "over the second half" is a span of
    // time, not a base.
    found.retain(|(at, p)| {
        let before = &sentence[back(sentence, *at, 40)..*at];
        !BASE_PERIOD_BEFORE_RE.is_match(before) || (p.half.is_some() && OVER_THE_RE.is_match(before))
    });
    found.sort_by_key(|f| f.0);
    found
}

/// Byte ranges of the clauses of a sentence: split at `;`, and at `,` or `and` before a new subject or a comparison.
fn clauses(sentence: &str) -> Vec<Range<usize>> {
    static BOUNDARY_RE: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i);\s|,\s(?:and|but|while|whereas|which|compared|versus|as|up|down|an? (?:increase|decrease))\b|,\s(?:we|I)(?:\s|'|’)|\s(?:and|but|while) (?:we|our|the|this|that|it|for|now)\b|\swhich\b|\s—\s|\s-\s",
        )
    });
    let mut out = Vec::new();
    let mut start = 0;
    for m in BOUNDARY_RE.find_iter(sentence) {
        out.push(start..m.start());
        start = m.start();
    }
    out.push(start..sentence.len());
    out
}

/// The byte offset at most `n` bytes before `at`, on a character boundary.
fn back(s: &str, at: usize, n: usize) -> usize {
    let mut b = at.saturating_sub(n);
    while !s.is_char_boundary(b) {
        b += 1;
    }
    b
}

fn char_to_byte(s: &str, char_index: usize) -> usize {
    s.char_indices().nth(char_index).map_or(s.len(), |(b, _)| b)
}

/// The metric a figure is about: a quantity guidance speaks of that figures do not name, else the figure's subject.
fn metric_for(sentence: &str, figure_at: usize, subject: Option<&str>) -> Option<String> {
    // The nearest extra name before the figure in the sentence wins over a fallback subject.
    let extra = EXTRA_METRICS
        .iter()
        .filter_map(|(name, re)| re.find_iter(&sentence[..figure_at]).last().map(|m| (m.end(), *name)))
        .max_by_key(|(end, _)| *end);
    match (subject, extra) {
        (Some(s), _) if !matches!(s, "growth" | "guidance") && extra.is_none() => Some(s.to_string()),
        (Some(s), Some((end, name))) if !matches!(s, "growth" | "guidance") => {
            // The specific subject the figures found stands; an extra name right before the figure is nearer.
            let subject_at = sentence[..figure_at].to_lowercase().rfind(&s.to_lowercase()).unwrap_or(0);
            Some(if end >= subject_at { name.to_string() } else { s.to_string() })
        }
        (_, Some((_, name))) => Some(name.to_string()),
        _ => None,
    }
}

/// Where the words that withdraw guidance stand in a sentence.
fn withdrawal_at(sentence: &str) -> Option<(usize, usize)> {
    let (_, rule) = STANCE_RULES.iter().find(|(stance, _)| *stance == Stance::Withdraw)?;
    rule.find(sentence).map(|m| (m.start(), m.end()))
}

/// The first of [`STANCE_RULES`] whose words the sentence holds: all the rules are tried in one pass over it.
fn stance_of(sentence: &str) -> Stance {
    STANCE_SET.matches(sentence).iter().next().map_or(Stance::Stated, |i| STANCE_RULES[i].0)
}

fn basis_of(sentence: &str) -> Option<&'static str> {
    if ADJUSTED_RE.is_match(sentence) {
        Some("adjusted")
    } else if REPORTED_RE.is_match(sentence) {
        Some("reported")
    } else {
        None
    }
}

fn unit_of(m: &metrics::Metric, metric: Option<&str>) -> Option<String> {
    match m.kind {
        MetricKind::Currency if matches!(metric, Some("EPS" | "FFO" | "dividend")) => {
            Some(format!("{}/share", m.unit.as_deref().unwrap_or("USD")))
        }
        _ => m.unit.clone(),
    }
}

/// Whether a sentence can name a period: every match of the period patterns holds one of these (`third quarter`,
/// `Q3`, `3Q`, `H2`, `second half`, `2022`, `FY23`, `fiscal '23`, `next year`, `annual`). Most sentences hold none
/// and are passed over before the period patterns run.
fn may_name_period(sentence: &str) -> bool {
    static PERIOD_WORDS: LazyLock<AhoCorasick> = LazyLock::new(|| {
        words(&[
            "quarter", "half", "year", "annual", "fiscal", "calendar", "fy", "q1", "q2", "q3", "q4", "1q", "2q", "3q",
            "4q", "h1", "h2", "20",
        ])
    });
    PERIOD_WORDS.is_match(sentence)
}

/// Words of guidance or an outlook, and the words of a withdrawal that names neither ("no longer", "rescind"): all a
/// sentence without a figure can say is a withdrawal, and it says one of these.
static GUIDANCE_WORDS: LazyLock<AhoCorasick> =
    LazyLock::new(|| words(&["guid", "outlook", "forecast", "no longer", "rescind"]));

/// Whether a sentence holds one of [`GUIDANCE_WORDS`].
fn mentions_guidance(sentence: &str) -> bool {
    GUIDANCE_WORDS.is_match(sentence)
}

/// Words looked for in any case, all in one pass over a text: far cheaper than a pattern, to pass over the many
/// sentences that cannot hold what the patterns look for.
fn words(words: &[&str]) -> AhoCorasick {
    AhoCorasick::builder().ascii_case_insensitive(true).build(words).expect("valid words")
}

/// Compiles the guidance patterns now rather than at the first executive's figure: an import calls this on a spare
/// thread (with [`metrics::compile_patterns`]) so no parser waits the tens of milliseconds they take.
pub fn compile_patterns() {
    for re in [
        &FORWARD_RE,
        &COMPARED_RE,
        &COUNTERFACTUAL_RE,
        &CONSENSUS_RE,
        &LONG_TERM_RE,
        &TARGET_RE,
        &PAST_RE,
        &BASE_BEFORE_RE,
        &RANGE_FROM_RE,
        &FROM_BEFORE_RE,
        &CHANGE_WORD_RE,
        &ADJUNCT_RE,
        &DIFFERENCE_AFTER_RE,
        &HEADWIND_AFTER_RE,
        &RATE_HEADWIND_BEFORE_RE,
        &OLD_RANGE_RE,
        &BY_BEFORE_RE,
        &TO_AFTER_RE,
        &REVISED_GUIDE_RE,
        &CHANGE_BEFORE_RE,
        &MIDPOINT_AFTER_RE,
        &REVISION_RE,
        &NOT_GUIDED_CLAUSE_RE,
        &BASE_PERIOD_BEFORE_RE,
        &OVER_THE_RE,
        &REMAINDER_RE,
        &TRAILING_PERIOD_RE,
        &DOWN_BEFORE_RE,
        &UPDATED_RE,
        &GROWTH_RE,
        &ADJUSTED_RE,
        &REPORTED_RE,
        &QUARTER_RE,
        &HALF_RE,
        &YEAR_RE,
    ] {
        LazyLock::force(re);
    }
    LazyLock::force(&STANCE_RULES);
    LazyLock::force(&STANCE_SET);
    LazyLock::force(&EXTRA_METRICS);
}

/// The guidance in one turn of an executive, on a call of `call`'s period.
pub fn extract(text: &str, call: CallPeriod) -> Vec<Guidance> {
    extract_with(text, call, &metrics::extract(text))
}

/// [`extract`], given the turn's figures as [`metrics::extract`] found them (character offsets in `text`): the
/// import has them already, so the figure patterns run once per turn.
///
/// Only a sentence with a figure, or one that names guidance, can hold guidance; the rest are read for one thing
/// only, the period they may name for the sentences after them. So the words of guidance are looked for once in the
/// whole turn (a turn without them and without figures is done at once), and the periods of the sentences passed
/// over are read only when a sentence that can hold guidance comes after them, from the nearest back: the first
/// that names a period and sets the scene is the one the turn would carry. Most of a call's sentences are seen only
/// by the sentence splitter.
pub fn extract_with(text: &str, call: CallPeriod, figures: &[metrics::Metric]) -> Vec<Guidance> {
    let mentions: Vec<Range<usize>> = GUIDANCE_WORDS.find_iter(text).map(|m| m.range()).collect();
    if figures.is_empty() && mentions.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut context: Option<Period> = None;
    // Sentences passed over since the last one read, whose periods may yet carry over.
    let mut passed: Vec<Range<usize>> = Vec::new();
    // Characters before the sentence, counted as the sentences go (offsets are in characters).
    let (mut chars_before, mut counted_to) = (0, 0);
    for range in sentences(text) {
        let sentence = &text[range.clone()];
        let names_guidance = mentions.iter().any(|m| range.start <= m.start && m.end <= range.end);
        if figures.is_empty() && !names_guidance {
            passed.push(range);
            continue;
        }
        chars_before += text[counted_to..range.start].chars().count();
        counted_to = range.start;
        let sentence_chars = sentence.chars().count();
        let own: Vec<metrics::Metric> = figures
            .iter()
            .filter(|m| m.start >= chars_before && m.end <= chars_before + sentence_chars)
            .map(|m| metrics::Metric { start: m.start - chars_before, end: m.end - chars_before, ..m.clone() })
            .collect();
        if own.is_empty() && !names_guidance {
            passed.push(range);
            continue;
        }
        if let Some(period) = passed.drain(..).rev().find_map(|r| scene_period(&text[r], call)) {
            context = Some(period);
        }
        let named = periods_named(sentence, call);
        let found = guidance_in(sentence, call, &named, context, &own);
        if let Some(period) = found.last().and_then(|g| g.period) {
            context = Some(period);
        } else if let Some(last) = named.last().filter(|_| sets_scene(sentence)) {
            context = Some(last.1);
        }
        out.extend(found.into_iter().map(|mut g| {
            g.start += chars_before;
            g.end += chars_before;
            g
        }));
    }
    out
}

/// A period carries over from a sentence that looks forward or sets the scene ("Turning to the fourth quarter."),
/// not from one of results ("In the third quarter, revenue was $1 billion.").
fn sets_scene(sentence: &str) -> bool {
    !sentence.bytes().any(|b| b.is_ascii_digit()) || FORWARD_RE.is_match(sentence)
}

/// The period a sentence without guidance carries over to the sentences after it: the last it names, when it sets
/// the scene.
fn scene_period(sentence: &str, call: CallPeriod) -> Option<Period> {
    let named = periods_named(sentence, call);
    named.last().filter(|_| sets_scene(sentence)).map(|(_, p)| *p)
}

fn guidance_in(
    sentence: &str,
    call: CallPeriod,
    named: &[(usize, Period)],
    context: Option<Period>,
    figures: &[metrics::Metric],
) -> Vec<Guidance> {
    // Most sentences hold no figure and no word of guidance: they are passed over before any pattern runs. Without a
    // figure only a withdrawal can be said, and its words name guidance, or say "no longer" or "rescind".
    if figures.is_empty() && !mentions_guidance(sentence) {
        return Vec::new();
    }
    let forward: Vec<Range<usize>> = FORWARD_RE.find_iter(sentence).map(|m| m.range()).collect();
    if forward.is_empty() || CONSENSUS_RE.is_match(sentence) || COUNTERFACTUAL_RE.is_match(sentence) {
        return Vec::new();
    }
    let compared: Vec<Range<usize>> = COMPARED_RE.find_iter(sentence).map(|m| m.range()).collect();
    // A forward word that starts inside a comparison is part of it ("ahead of our original plan for 2% growth").
    let looking: Vec<&Range<usize>> =
        forward.iter().filter(|f| !compared.iter().any(|c| c.start <= f.start && f.start < c.end)).collect();
    if looking.is_empty() {
        return Vec::new();
    }
    // A target with no period ("our target is 11% to 13%", "60% gross margin … are the right targets") is an
    // aspiration, not guidance for a fiscal period.
    if named.is_empty() && looking.iter().all(|f| TARGET_RE.is_match(&sentence[(*f).clone()])) {
        return Vec::new();
    }
    let stance = stance_of(sentence);
    let basis = basis_of(sentence);
    let clauses = clauses(sentence);
    // The period of a figure: one that follows it and binds to it ("$0.40 in the second half"), else the nearest the
    // sentence names before it, else one its clause names after it, else the turn's last, else the call's year. A
    // period in another clause after the figure belongs to that clause.
    let period_at = |at: usize, end: usize| -> Option<Period> {
        let clause = clauses.iter().find(|c| c.start <= at && at < c.end).cloned().unwrap_or(0..sentence.len());
        // A phrase that opens the sentence takes the period of the main clause after it.
        let clause_end = if clause.start == 0 && ADJUNCT_RE.is_match(&sentence[clause.clone()]) {
            clauses.iter().find(|c| c.start == clause.end).map_or(clause.end, |c| c.end)
        } else {
            clause.end
        };
        let trailing =
            named.iter().find(|(p, _)| *p >= end && *p < clause.end && TRAILING_PERIOD_RE.is_match(&sentence[end..*p]));
        trailing
            .or_else(|| named.iter().rev().find(|(p, _)| *p <= at))
            .or_else(|| named.iter().find(|(p, _)| *p > at && *p < clause_end))
            .map(|(_, p)| *p)
            .or(context)
            .or(Some(Period::year(default_year(call))))
    };
    let mut out: Vec<Guidance> = Vec::new();
    // Midpoints of the old values the sentence compares with ("versus a prior range of $9.20 to $9.70").
    let mut bases: Vec<f64> = Vec::new();
    for m in figures {
        let (start, end) = (char_to_byte(sentence, m.start), char_to_byte(sentence, m.end));
        if m.kind == MetricKind::Count && m.subject.is_none() {
            continue;
        }
        let clause = clauses.iter().find(|c| c.start <= start && start < c.end).cloned().unwrap_or(0..sentence.len());
        let in_clause = |r: &&Range<usize>| r.start >= clause.start && r.end <= clause.end;
        let forward_here = looking.iter().any(in_clause);
        let forward_before = looking.iter().any(|r| r.end <= start);
        // A phrase that opens the sentence before a main clause that looks forward ("Excluding a 100 basis point
        // contribution from closed acquisitions, we expect …"): it has no verb of its own, so a past participle in it
        // is an adjective.
        let fronted = clause.start == 0
            && ADJUNCT_RE.is_match(&sentence[clause.clone()])
            && clauses
                .iter()
                .find(|c| c.start == clause.end)
                .is_some_and(|next| looking.iter().any(|r| r.start >= next.start && r.end <= next.end));
        let past_here = !fronted && PAST_RE.find_iter(&sentence[clause.clone()]).next().is_some();
        // A figure in a clause of results, with no forward word of its own, is history; so is one a past verb
        // states before any forward word of its clause ("so far, we've generated $300 million of savings compared
        // to our total program target of …").
        let past_before = !fronted && PAST_RE.is_match(&sentence[clause.start..start]);
        let forward_after_only = !looking.iter().any(|r| r.start < start && in_clause(r));
        if (past_here && !forward_here) || (past_before && forward_after_only) {
            continue;
        }
        if !forward_here && !forward_before {
            // Forward words only after the figure: guidance when the clause opens on the period ("For Q3, revenue of
            // $X is expected"), or when the figure is in a phrase that opens the sentence and the main clause after it
            // looks forward ("Excluding a 100 basis point headwind from currency, we expect …") — the clause has no
            // past verb here.
            if !named.iter().any(|(p, _)| *p < start) && !fronted {
                continue;
            }
        }
        // The clause and the one before it, which may hold its subject ("Once the plans are fully implemented, we
        // project savings of …").
        let previous_start = clauses.iter().rev().find(|c| c.end <= clause.start).map_or(clause.start, |c| c.start);
        let near = &sentence[previous_start..clause.end];
        if NOT_GUIDED_CLAUSE_RE.is_match(near) || LONG_TERM_RE.is_match(near) {
            continue;
        }
        let before = &sentence[clause.start.max(back(sentence, start, 60))..start];
        let after = &sentence[end..];
        let revised = REVISION_RE.is_match(&sentence[..start]);
        // The old value: after "from", "versus", "our prior guidance of" …, or moved "to" a new figure.
        let moved_to = revised
            && TO_AFTER_RE.is_match(after)
            && figures.iter().any(|f| f.start >= m.end && char_to_byte(sentence, f.start) <= end + 40);
        // "From $0.97 to $1.12" opens a range, unless the sentence says something moved from it.
        let opens_range = m.value_high.is_some()
            && (RANGE_FROM_RE.is_match(before)
                || (FROM_BEFORE_RE.is_match(before) && !CHANGE_WORD_RE.is_match(&sentence[..start])));
        let base = (BASE_BEFORE_RE.is_match(before) && !opens_range)
            || (OLD_RANGE_RE.is_match(before)
                && out.last().is_some_and(|g| char_to_byte(sentence, g.start) >= clause.start))
            || moved_to;
        if base {
            bases.push((m.value + m.value_high.unwrap_or(m.value)) / 2.0);
            continue;
        }
        // The size of a revision of the guidance, whose new level the sentence gives.
        let other_figure = figures.len() > 1;
        if (BY_BEFORE_RE.is_match(before) && TO_AFTER_RE.is_match(after) && REVISED_GUIDE_RE.is_match(before))
            || (other_figure && REVISED_GUIDE_RE.is_match(before))
            || (revised && other_figure && CHANGE_BEFORE_RE.is_match(before) && MIDPOINT_AFTER_RE.is_match(after))
            || DIFFERENCE_AFTER_RE.is_match(after)
        {
            continue;
        }
        let rate = matches!(m.kind, MetricKind::Percent | MetricKind::BasisPoints);
        let negative = DOWN_BEFORE_RE.is_match(before)
            || HEADWIND_AFTER_RE.is_match(after)
            || (rate && RATE_HEADWIND_BEFORE_RE.is_match(before));
        let sign = if negative { -1.0 } else { 1.0 };
        let metric = metric_for(sentence, start, m.subject.as_deref());
        let measure = match m.kind {
            MetricKind::Percent | MetricKind::BasisPoints
                if !metric.as_deref().is_some_and(|x| x.contains("margin") || x.contains("rate"))
                    && GROWTH_RE.is_match(&sentence[clause.start..end]) =>
            {
                "growth"
            }
            _ => "level",
        };
        let unit = unit_of(m, metric.as_deref());
        // The words of the figure's own clause say what is done with it; else the sentence's.
        let stance = match stance_of(&sentence[clause.clone()]) {
            Stance::Stated => stance,
            own => own,
        };
        out.push(Guidance {
            metric,
            measure,
            period: period_at(start, end),
            low: Some(if sign < 0.0 { -m.value_high.unwrap_or(m.value) } else { m.value }),
            high: Some(if sign < 0.0 { -m.value } else { m.value_high.unwrap_or(m.value) }),
            unit,
            stance,
            basis,
            text: m.text.clone(),
            start: m.start,
            end: m.end,
            sentence: sentence.to_string(),
        });
    }
    // Words that state a figure beside the one it replaces say by the numbers whether it was raised or lowered; a
    // fourth-quarter call's plain outlook for the year ahead is that year's first.
    for g in out.iter_mut().filter(|g| g.stance == Stance::Stated) {
        let mid = match (g.low, g.high) {
            (Some(l), Some(h)) => (l + h) / 2.0,
            _ => continue,
        };
        if let Some(base) = bases.first().map(|b| if mid < 0.0 && *b > 0.0 { -b } else { *b }) {
            g.stance = if (mid - base).abs() <= 1e-9 * base.abs().max(1.0) {
                Stance::Reaffirm
            } else if mid > base {
                Stance::Raise
            } else {
                Stance::Lower
            };
        } else if call.fiscal_quarter == 4
            && g.period.is_some_and(|p| p.fiscal_year == call.fiscal_year + 1 && p.quarter.is_none())
            && !UPDATED_RE.is_match(sentence)
        {
            g.stance = Stance::Initiate;
        }
    }
    if out.is_empty() && stance == Stance::Withdraw {
        // The period is the one the withdrawal's own words name ("we pulled our guidance for the full year").
        let (at, end) = withdrawal_at(sentence).unwrap_or((looking[0].start, looking[0].start));
        out.push(Guidance {
            metric: metric_for(sentence, sentence.len(), None),
            measure: "level",
            period: period_at(at, end),
            low: None,
            high: None,
            unit: None,
            stance,
            basis,
            text: String::new(),
            start: sentence[..at].chars().count(),
            end: sentence[..at].chars().count(),
            sentence: sentence.to_string(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const Q2_21: CallPeriod = CallPeriod { fiscal_year: 2021, fiscal_quarter: 2 };
    const Q4_21: CallPeriod = CallPeriod { fiscal_year: 2021, fiscal_quarter: 4 };

    fn one(text: &str, call: CallPeriod) -> Guidance {
        let g = extract(text, call);
        assert_eq!(g.len(), 1, "{text}: {g:#?}");
        g.into_iter().next().unwrap()
    }

    #[test]
    fn a_range_for_the_full_year() {
        let g = one("We now expect full-year revenue of $4.2 billion to $4.4 billion.", Q2_21);
        assert_eq!(g.metric.as_deref(), Some("revenue"));
        assert_eq!((g.low, g.high), (Some(4.2e9), Some(4.4e9)));
        assert_eq!(g.period.unwrap().label(), "FY2021");
        assert_eq!(g.unit.as_deref(), Some("USD"));
    }

    #[test]
    fn periods_resolve_against_the_call() {
        let g = one("For the third quarter, we expect gross margin of approximately 41%.", Q2_21);
        assert_eq!(g.period.unwrap().label(), "2021 Q3");
        assert_eq!(g.metric.as_deref(), Some("gross margin"));
        let g = one("Next quarter, we expect EPS of $0.55 to $0.60.", Q4_21);
        assert_eq!(g.period.unwrap().label(), "2022 Q1");
        assert_eq!(g.unit.as_deref(), Some("USD/share"));
        let g = one("For the full year, we expect capex of about $300 million.", Q4_21);
        assert_eq!(g.period.unwrap().label(), "FY2022", "a Q4 call's full year is the year ahead");
        let g = one("We expect second half operating margin of 12%.", Q2_21);
        assert_eq!(g.period.unwrap().label(), "H2 2021");
        let g = one("For fiscal 2022, we expect a tax rate of 21% to 23%.", Q2_21);
        assert_eq!((g.period.unwrap().label(), g.metric.as_deref()), ("FY2022".into(), Some("tax rate")));
    }

    #[test]
    fn the_period_carries_over_within_a_turn() {
        let g = extract("Turning to the fourth quarter. We expect revenue of $1.1 billion.", Q2_21);
        assert_eq!(g[0].period.unwrap().label(), "2021 Q4");
    }

    #[test]
    fn the_nearest_scene_before_a_figure_carries_over_past_sentences_without_guidance() {
        // Sentences without a figure or a word of guidance are passed over and read back only when guidance follows:
        // the latest that sets the scene wins, a sentence of results names no period for what follows, and a scene
        // set before a sentence of guidance gives way to that sentence's own period.
        let text = "Turning to the third quarter. Then the fourth quarter matters most. It was a good year for us. \
                    In the first quarter, revenue was $1 billion. We expect revenue of $1.1 billion.";
        assert_eq!(extract(text, Q2_21)[0].period.unwrap().label(), "2021 Q4");
        let text = "For the second half we expect margin of 12%. We feel good. We expect revenue of $2 billion.";
        let g = extract(text, Q2_21);
        assert_eq!(g.iter().map(|g| g.period.unwrap().label()).collect::<Vec<_>>(), ["H2 2021", "H2 2021"]);
        // A withdrawal in a turn without figures keeps where it is in the turn, in characters.
        let text = "Thank you — it’s been a hard year. Given the uncertainty, we are withdrawing our guidance.";
        let w = extract(text, Q2_21);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].stance, Stance::Withdraw);
        let at = text[..text.find("withdrawing").unwrap()].chars().count();
        assert_eq!((w[0].start, w[0].end), (at, at));
    }

    #[test]
    fn stances_follow_the_words() {
        for (text, stance) in [
            ("We are raising our full-year EPS guidance to $2.45 to $2.47.", Stance::Raise),
            ("We are lowering our revenue outlook to $3 billion.", Stance::Lower),
            ("We are reaffirming our EPS outlook of $2.10 to $2.20 for the year.", Stance::Reaffirm),
            ("We are narrowing our full-year EPS range to $1.90 to $1.95.", Stance::Narrow),
            ("We are widening our revenue range to $2.0 billion to $2.4 billion for the year.", Stance::Widen),
            ("We are introducing 2022 guidance with revenue of $5 billion.", Stance::Initiate),
            ("We expect revenue of $5 billion for the year.", Stance::Stated),
        ] {
            assert_eq!(one(text, Q2_21).stance, stance, "{text}");
        }
        let w = one("Given the uncertainty, we are withdrawing our full-year guidance.", Q2_21);
        assert_eq!((w.stance, w.low, w.metric), (Stance::Withdraw, None, None));
    }

    #[test]
    fn the_old_value_of_a_change_is_not_guidance() {
        let g = extract("We are raising our EPS guidance to $2.45 to $2.47 from $2.38 to $2.42 for the year.", Q2_21);
        assert_eq!(g.len(), 1, "{g:#?}");
        assert_eq!(g[0].low, Some(2.45));
    }

    #[test]
    fn history_consensus_and_aspirations_are_not_guidance() {
        for text in [
            "Revenue grew 12% to $4.1 billion in the quarter.",
            "Adjusted EPS was $1.12, above the high end of our guidance range.",
            "Consensus expects revenue of $4.0 billion for the year.",
            "Over time, we expect operating margins of 30%.",
            "Our long-term algorithm calls for 8% to 10% revenue growth.",
            "Results were better than we expected, with margins of 41%.",
        ] {
            assert!(extract(text, Q2_21).is_empty(), "{text}: {:#?}", extract(text, Q2_21));
        }
    }

    #[test]
    fn a_sentence_of_results_and_outlook_keeps_the_outlook() {
        let g =
            extract("Revenue was $1.2 billion, and for the full year we expect revenue growth of 8% to 10%.", Q2_21);
        assert_eq!(g.len(), 1, "{g:#?}");
        assert_eq!((g[0].low, g[0].high, g[0].measure), (Some(8.0), Some(10.0), "growth"));
    }

    fn values(text: &str, call: CallPeriod) -> Vec<(f64, f64)> {
        extract(text, call).iter().map(|g| (g.low.unwrap(), g.high.unwrap())).collect()
    }

    #[test]
    fn comparisons_with_guidance_and_recalled_expectations_are_not_guidance() {
        for text in [
            "Organic growth was 14%, exceeding our second quarter guidance range of 10% to 12%.",
            "Sales of pumps were $85 million, better-than-expected, and favorable to our expectations.",
            "When we first gave our guide of $0.30 to $0.50, freight costs were lower.",
            "Our revenue guidance coming into the fourth quarter was a range of $225 million to $255 million.",
            "Segment margins were in line with our historical range of 23% to 24%.",
            "Widgets grew 6%, 2% points higher than assumed in the prior guide.",
        ] {
            assert!(extract(text, Q2_21).is_empty(), "{text}: {:#?}", extract(text, Q2_21));
        }
        // A recalled expectation beside the new one: only the new one.
        assert_eq!(values("In May, we anticipated about 5%, and we're raising that to about 6%.", Q2_21), [(6.0, 6.0)]);
    }

    #[test]
    fn old_values_and_the_sizes_of_revisions_are_not_guidance() {
        for (text, want) in [
            ("For the year, we now expect sales up between 8% and 9%, an increase from our prior guide of 7% to 8%.", (8.0, 9.0)),
            ("We are raising our savings guidance by $20 million to a range of $75 million to $95 million.", (75e6, 95e6)),
            ("We are raising our 2021 FFO guidance to $1.29 to $1.35 per share, an increase of $0.02 at the midpoint.", (1.29, 1.35)),
            ("We now expect operating margin of 25.4% in 2022, 20 basis points higher than we assumed in our prior guidance.", (25.4, 25.4)),
            ("Growth is expected to be 9% above the high end of our original 5% to 7% outlook.", (9.0, 9.0)),
        ] {
            assert_eq!(values(text, Q2_21), [want], "{text}");
        }
        // Moved "to" a new figure without "from": the first is the old value, and the stance follows the numbers.
        let g =
            one("We are raising our savings target of $150 million to at least $200 million for fiscal 2021.", Q2_21);
        assert_eq!((g.low, g.stance), (Some(200e6), Stance::Raise));
        // A percentage by which the business itself moves is growth, not the size of a revision.
        assert_eq!(
            values("We expect fiscal 2021 capex to be reduced by 60% to $4.0 million.", Q2_21),
            [(-60.0, -60.0), (4e6, 4e6)]
        );
    }

    #[test]
    fn a_range_opened_by_from_is_guidance() {
        let g = one("We estimate that Q3 revenue could range from $330 million to $360 million.", Q2_21);
        assert_eq!((g.low, g.high, g.period.unwrap().label()), (Some(330e6), Some(360e6), "2021 Q3".into()));
    }

    #[test]
    fn headwinds_said_before_the_word_are_negative_impacts() {
        let g = extract(
            "Excluding an approximate 100 basis point headwind from foreign exchange, we expect full year revenue growth of 6% to 8%.",
            Q2_21,
        );
        assert_eq!(
            g.iter().map(|g| (g.low.unwrap(), g.high.unwrap())).collect::<Vec<_>>(),
            [(-100.0, -100.0), (6.0, 8.0)]
        );
        assert_eq!(values("For the year, I expect about 50 bps of headwind from freight.", Q2_21), [(-50.0, -50.0)]);
        assert_eq!(values("We expect a margin headwind of 50 to 100 basis points in Q3.", Q2_21), [(-100.0, -50.0)]);
        // The size of a headwind in money, said after the word, stays positive.
        assert_eq!(
            values("We expect an earnings headwind of $0.50 to $0.60 per share this year.", Q2_21),
            [(0.5, 0.6)]
        );
        // "Down to" a level is the level.
        assert_eq!(values("We expect cash to step down to about $2.5 billion this year.", Q2_21), [(2.5e9, 2.5e9)]);
    }

    #[test]
    fn aspirations_the_economy_and_hedges_are_not_guidance() {
        for text in [
            "Once the program is fully implemented, we project annual savings of $12 million.",
            "Global car and truck builds are expected to be down 3% this year.",
            "We are 40% hedged at $70 for next year, and we expect a similar return.",
            "We remain committed to our business model of at least a 95% franchise mix going forward.",
            "That is well above our evergreen target of 8% annual EPS growth, which we expect to keep.",
        ] {
            assert!(extract(text, Q2_21).is_empty(), "{text}: {:#?}", extract(text, Q2_21));
        }
        // An aspiration in one clause leaves a period's figure in another.
        assert_eq!(
            values("For 2021, we expect growth of 2%, and that is consistent with our medium-term objective.", Q2_21),
            [(2.0, 2.0)]
        );
        // A target with a dated end is for that period.
        let g = one("By the end of 2022, I expect liquidity of around $2.5 billion.", Q2_21);
        assert_eq!(g.period.unwrap().label(), "FY2022");
    }

    #[test]
    fn periods_bind_to_the_figure_they_follow() {
        let g = extract("We expect EPS of $2.00 for the full year, or $1.10 in the second half.", Q2_21);
        let labels: Vec<String> = g.iter().map(|g| g.period.unwrap().label()).collect();
        assert_eq!(labels, ["FY2021", "H2 2021"]);
        let g = one("We expect revenue to grow over 2020 and be $450 million in 2021.", Q2_21);
        assert_eq!(g.period.unwrap().label(), "FY2021", "a base year is not the period");
        let g = one("We expect interest income of $3 million per quarter for the remainder of the year.", Q2_21);
        assert_eq!(g.period.unwrap().label(), "H2 2021");
        let g = one("Turning to the first half of fiscal '22, we expect revenue of $600 million.", Q2_21);
        assert_eq!(g.period.unwrap().label(), "H1 2022");
        let g = one("We now expect EPS of $4.60 to $4.80, which excludes a tax charge in the second quarter.", Q2_21);
        assert_eq!(g.period.unwrap().label(), "FY2021", "a period in a relative clause is that clause's");
        let g = extract(
            "Excluding a 200 basis point contribution from closed acquisitions, we expect fourth quarter growth of 5%.",
            Q2_21,
        );
        assert_eq!(g.len(), 2, "{g:#?}");
        assert!(g.iter().all(|g| g.period.unwrap().label() == "2021 Q4"), "{g:#?}");
    }

    #[test]
    fn stances_follow_each_clause_and_updates_are_not_first_outlooks() {
        let g = extract(
            "We continue to expect gross margin of 40%, and we are raising our full-year operating margin from 20% to 21%.",
            Q2_21,
        );
        assert_eq!(
            g.iter().map(|g| (g.low.unwrap(), g.stance)).collect::<Vec<_>>(),
            [(40.0, Stance::Reaffirm), (21.0, Stance::Raise)]
        );
        let g = one("We now expect full-year capex of $300 million.", Q4_21);
        assert_eq!((g.period.unwrap().label(), g.stance), ("FY2022".into(), Stance::Stated));
        let g = one("For the full year, we expect capex of $300 million.", Q4_21);
        assert_eq!(g.stance, Stance::Initiate);
        let w = one("As a result, we're not able to quantify our guidance for the third quarter.", Q2_21);
        assert_eq!((w.stance, w.period.unwrap().label()), (Stance::Withdraw, "2021 Q3".into()));
    }

    #[test]
    fn targets_without_a_period_and_results_before_a_target_are_not_guidance() {
        for text in [
            "On cash flow, our target is 11% to 13%.",
            "We believe 60% gross margin and 30% operating margin are the right targets.",
            "So far, we've generated $300 million of savings compared to our program target.",
            "Organic sales were up 4% in '19, ahead of our original plan for 2% growth.",
        ] {
            assert!(extract(text, Q2_21).is_empty(), "{text}: {:#?}", extract(text, Q2_21));
        }
        // A target for a period is guidance, and so is what the company is targeting.
        assert_eq!(one("For 2022, our target is EPS of $3.10.", Q2_21).period.unwrap().label(), "FY2022");
        assert_eq!(one("We're targeting EPS of $7.10 to $7.35.", Q4_21).period.unwrap().label(), "FY2022");
    }

    #[test]
    fn periods_of_spans_and_deadlines() {
        // "by year end" is the year; "the coming quarters" is no quarter in particular.
        let g = one(
            "We expect to keep servicing rights over the coming quarters, and the asset could grow to between $150 \
             million and $175 million by year end.",
            Q2_21,
        );
        assert_eq!(g.period.unwrap().label(), "FY2021");
        // "over the second half of the year" is the span, not a base of comparison.
        let g = one(
            "We expect to reduce cash over the second half of the year to between $5 billion and $6 billion.",
            Q2_21,
        );
        assert_eq!(g.period.unwrap().label(), "H2 2021");
        // A withdrawal is for the period its own words name.
        let w = one(
            "It's hard to give guidance beyond the third quarter, so we pulled our guidance for the full year.",
            Q2_21,
        );
        assert_eq!((w.stance, w.period.unwrap().label()), (Stance::Withdraw, "FY2021".into()));
    }

    #[test]
    fn sentences_split_at_their_ends_not_at_decimals() {
        let text = "EPS was $1.25. We expect $4.2 billion! Next?\nA new paragraph";
        let got: Vec<&str> = sentences(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(got, ["EPS was $1.25.", "We expect $4.2 billion!", "Next?", "A new paragraph"]);
    }
}
