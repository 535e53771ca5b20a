/**
 * Words the card shows for frequencies and urgency levels. Kept free of the schema
 * library so the content script does not load it.
 */
export type Frequency = 'very-common' | 'common' | 'uncommon' | 'rare' | 'not-known';
export type Urgency = 'emergency' | 'now' | 'next-visit';

export const FREQUENCY_LEGEND: Record<Frequency, string> = {
  'very-common': 'Very common: more than 1 in 10 people',
  common: 'Common: up to 1 in 10 people',
  uncommon: 'Uncommon: up to 1 in 100 people',
  rare: 'Rare: up to 1 in 1,000 people',
  'not-known': 'Frequency not known',
};

export const URGENCY_LABEL: Record<Urgency, string> = {
  emergency: 'Emergency: call 999 (UK) or 911 (US), or go to A&E',
  now: 'Contact your care team now',
  'next-visit': 'Mention at your next visit',
};
