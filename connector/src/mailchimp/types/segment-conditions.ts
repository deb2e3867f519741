/**
 * Segment conditions: the spec's `x-oneOf` discriminated by `condition_type` (all 41 types in 3.0.76, checked
 * against the OpenAPI description; mailchimp-spec-extract.txt). There is no `EcommPrch`. Used by saved segments
 * and by campaign `recipients.segment_opts`.
 */
interface Condition<Type extends string, Field extends string, Op extends string, Value> {
  condition_type: Type;
  field: Field;
  op: Op;
  value: Value;
}

interface ConditionWithoutValue<Type extends string, Field extends string, Op extends string> {
  condition_type: Type;
  field: Field;
  op: Op;
}

type TextOp = 'is' | 'not' | 'contains' | 'notcontain' | 'starts' | 'ends';
type Engagement = 'started' | 'completed' | 'not_started' | 'not_completed';
/** A merge tag such as `FNAME` or `MMERGE3`. */
type MergeTag = string;

export type AimCondition = Condition<'Aim', 'aim', 'open' | 'click' | 'sent' | 'noopen' | 'noclick' | 'nosent', string>;
export type AutomationCondition = Condition<'Automation', 'automation', Engagement, string>;
export type CampaignPollCondition = Condition<'CampaignPoll', 'poll', 'member' | 'notmember', number>;
export type ConversationCondition = Condition<'Conversation', 'conversation', 'member' | 'notmember', string>;
/** `ecomm_date` is the date of the last purchase. `extra` carries the date for `value: 'date'`-style comparisons. */
export type DateCondition = Condition<
  'Date',
  'timestamp_opt' | 'info_changed' | 'ecomm_date',
  'greater' | 'less' | 'is' | 'not' | 'blank' | 'blank_not' | 'within' | 'notwithin',
  string
> & {extra?: string};
export type EmailClientCondition = Condition<'EmailClient', 'email_client', 'client_is' | 'client_not', string>;
export type LanguageCondition = Condition<'Language', 'language', 'is' | 'not', string>;
export type MemberRatingCondition = Condition<'MemberRating', 'rating', 'is' | 'not' | 'greater' | 'less', number>;
export type SignupSourceCondition = Condition<'SignupSource', 'source', 'source_is' | 'source_not', string>;
export type SurveyMonkeyCondition = Condition<'SurveyMonkey', 'survey_monkey', Engagement, string>;
export type VipCondition = ConditionWithoutValue<'VIP', 'gmonkey', 'member' | 'notmember'>;
/** field is `interests-<category id>`; value lists interest ids. */
export type InterestsCondition = Condition<
  'Interests',
  `interests-${string}`,
  'interestcontains' | 'interestcontainsall' | 'interestnotcontains',
  string[]
>;
export type EcommCategoryCondition = Condition<'EcommCategory', 'ecomm_cat' | 'ecomm_prod', TextOp, string>;
export type EcommNumberCondition = Condition<
  'EcommNumber',
  'ecomm_spent_avg' | 'ecomm_orders' | 'ecomm_prod_all' | 'ecomm_avg_ord',
  'is' | 'not' | 'greater' | 'less',
  number
>;
export type EcommPurchasedCondition = ConditionWithoutValue<
  'EcommPurchased',
  'ecomm_purchased',
  'member' | 'notmember'
>;
export type EcommSpentCondition = Condition<
  'EcommSpent',
  'ecomm_spent_one' | 'ecomm_spent_all',
  'greater' | 'less',
  number
>;
/** value is a store id. */
export type EcommStoreCondition = Condition<'EcommStore', 'ecomm_store', 'is' | 'not', string>;
export type GoalActivityCondition = Condition<
  'GoalActivity',
  'goal',
  'is' | 'goal_not' | 'contains' | 'goal_notcontain' | 'starts' | 'ends',
  string
>;
export type GoalTimestampCondition = Condition<'GoalTimestamp', 'goal_last_visited', 'greater' | 'less' | 'is', string>;
export type FuzzySegmentCondition = Condition<'FuzzySegment', 'fuzzy_segment', 'fuzzy_is' | 'fuzzy_not', number>;
/** Tags are static segments: value is the tag/segment id. */
export type StaticSegmentCondition = Condition<'StaticSegment', 'static_segment', 'static_is' | 'static_not', number>;
export type IpGeoCountryStateCondition = Condition<
  'IPGeoCountryState',
  'ipgeo',
  'ipgeocountry' | 'ipgeonotcountry' | 'ipgeostate' | 'ipgeonotstate',
  string
>;
export type IpGeoInCondition = Condition<'IPGeoIn', 'ipgeo', 'ipgeoin' | 'ipgeonotin', number> & {
  addr: string;
  lat: string;
  lng: string;
};
export type IpGeoInZipCondition = Condition<'IPGeoInZip', 'ipgeo', 'ipgeoinzip', number> & {extra: number};
export type IpGeoUnknownCondition = ConditionWithoutValue<'IPGeoUnknown', 'ipgeo', 'ipgeounknown'>;
export type IpGeoZipCondition = Condition<'IPGeoZip', 'ipgeo', 'ipgeoiszip' | 'ipgeonotzip', number>;
export type SocialAgeCondition = Condition<
  'SocialAge',
  'social_age',
  'is' | 'not',
  '18-24' | '25-34' | '35-54' | '55+'
>;
export type SocialGenderCondition = Condition<'SocialGender', 'social_gender', 'is' | 'not', 'male' | 'female'>;
export type SocialInfluenceCondition = Condition<
  'SocialInfluence',
  'social_influence',
  'is' | 'not' | 'greater' | 'less',
  number
>;
export type SocialNetworkMemberCondition = Condition<
  'SocialNetworkMember',
  'social_network',
  'member' | 'notmember',
  | 'twitter'
  | 'facebook'
  | 'linkedin'
  | 'flickr'
  | 'foursquare'
  | 'lastfm'
  | 'myspace'
  | 'quora'
  | 'vimeo'
  | 'yelp'
  | 'youtube'
>;
export type SocialNetworkFollowCondition = Condition<
  'SocialNetworkFollow',
  'social_network',
  'follow' | 'notfollow',
  'twitter_follow'
>;
export type AddressMergeCondition = Condition<
  'AddressMerge',
  MergeTag,
  'contains' | 'notcontain' | 'blank' | 'blank_not',
  string
>;
export type ZipMergeCondition = Condition<'ZipMerge', MergeTag, 'geoin', string> & {extra: string};
export type BirthdayMergeCondition = Condition<'BirthdayMerge', MergeTag, 'is' | 'not' | 'blank' | 'blank_not', string>;
export type DateMergeCondition = Condition<
  'DateMerge',
  MergeTag,
  'is' | 'not' | 'less' | 'blank' | 'blank_not' | 'greater',
  string
>;
export type SelectMergeCondition = Condition<
  'SelectMerge',
  MergeTag,
  'is' | 'not' | 'blank' | 'blank_not' | 'notcontain' | 'contains',
  string
>;
export type TextMergeCondition = Condition<
  'TextMerge',
  MergeTag,
  TextOp | 'greater' | 'less' | 'blank' | 'blank_not',
  string
>;
export type EmailAddressCondition = Condition<'EmailAddress', 'merge0' | 'EMAIL', TextOp | 'greater' | 'less', string>;
export type PredictedGenderCondition = Condition<
  'PredictedGender',
  'predicted_gender',
  'is' | 'not',
  'male' | 'female'
>;
export type PredictedAgeCondition = Condition<
  'PredictedAge',
  'predicted_age_range',
  'is',
  '18-24' | '25-34' | '35-44' | '45-54' | '55-64' | '65+'
>;
export type NewSubscribersCondition = Condition<'NewSubscribers', 'timestamp_opt', 'date_within', string>;

export type SegmentCondition =
  | AimCondition
  | AutomationCondition
  | CampaignPollCondition
  | ConversationCondition
  | DateCondition
  | EmailClientCondition
  | LanguageCondition
  | MemberRatingCondition
  | SignupSourceCondition
  | SurveyMonkeyCondition
  | VipCondition
  | InterestsCondition
  | EcommCategoryCondition
  | EcommNumberCondition
  | EcommPurchasedCondition
  | EcommSpentCondition
  | EcommStoreCondition
  | GoalActivityCondition
  | GoalTimestampCondition
  | FuzzySegmentCondition
  | StaticSegmentCondition
  | IpGeoCountryStateCondition
  | IpGeoInCondition
  | IpGeoInZipCondition
  | IpGeoUnknownCondition
  | IpGeoZipCondition
  | SocialAgeCondition
  | SocialGenderCondition
  | SocialInfluenceCondition
  | SocialNetworkMemberCondition
  | SocialNetworkFollowCondition
  | AddressMergeCondition
  | ZipMergeCondition
  | BirthdayMergeCondition
  | DateMergeCondition
  | SelectMergeCondition
  | TextMergeCondition
  | EmailAddressCondition
  | PredictedGenderCondition
  | PredictedAgeCondition
  | NewSubscribersCondition;

export type SegmentConditionType = SegmentCondition['condition_type'];

export interface SegmentOptions {
  match: 'any' | 'all';
  conditions: SegmentCondition[];
}
