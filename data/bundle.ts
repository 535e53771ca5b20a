/** The bundled data, as the background loads it. Nothing is fetched at run time. */
import drugs from './generated/drugs.json';
import classes from './generated/classes.json';
import effects from './generated/effects.json';
import routes from './generated/routes.json';
import names from './generated/names.json';
import typoVeto from './generated/typo-veto.json';
import type { LookupData } from '../utils/lookup';

export function loadLookupData(): LookupData {
  return {
    datasets: (drugs as unknown as LookupData).datasets,
    drugs: (drugs as unknown as LookupData).drugs,
    classes: classes as unknown as LookupData['classes'],
    effects: effects as unknown as LookupData['effects'],
    routes: routes as unknown as LookupData['routes'],
    names: names as unknown as LookupData['names'],
    typoVeto: typoVeto as string[],
  };
}
