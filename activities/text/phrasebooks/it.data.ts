import { capFirst, listWith, lowerFirst, sentence } from '../../../lib/prose';
import { type Phrasebook, pick, promoCta } from './phrasebook';

// Italian templates avoid articles and adjectives that would have to agree with an inserted noun of unknown gender.
export const IT: Phrasebook = {
  list: listWith('e'),
  listOr: listWith('o'),
  missionLine: (m) => `La nostra missione: ${lowerFirst(sentence(m))}`,
  altTexts: [
    (n, h) => `Grafica di ${n} nei colori del marchio con il titolo "${h}"`,
    (n, h) => `Grafica di ${n} con il titolo "${h}"`,
  ],
  typeTags: {
    educational: 'LoSapeviChe',
    promotional: 'PensatoPerTe',
    engagement: 'DiciLaTua',
    storytelling: 'DietroLeQuinte',
    announcement: 'Novità',
    tips: 'Consigli',
    testimonial: 'ClientiFelici',
    seasonal: 'DiStagione',
    trending: 'Tendenze',
  },
  drafts: {
    educational: (f) => ({
      hook: f.subject
        ? pick(f, [
            `Lo sapevi? Quando si parla di ${f.subject}, sono i piccoli dettagli a fare la differenza.`,
            `Parliamo di ${f.subject}: bastano pochi accorgimenti per fare la differenza.`,
          ])
        : 'Lo sapevi? Nel nostro lavoro sono i piccoli dettagli a fare la differenza.',
      body: [
        f.otherKeywords.length
          ? `Da ${f.name} lavoriamo ogni giorno con ${IT.list(f.otherKeywords)} e abbiamo imparato una cosa: le scelte piccole e costanti contano più di tutto.`
          : `Da ${f.name} lo vediamo ogni giorno: le scelte piccole e costanti contano più di tutto.`,
        'Parti dalle basi, coltiva la curiosità e non avere paura di fare domande.',
      ],
      closer: 'Continueremo a condividere quello che impariamo strada facendo.',
      cta:
        f.linkable && f.site ? `Scopri di più su ${f.site}` : `Salva questo post e segui ${f.name} per altri consigli.`,
    }),
    promotional: (f) => ({
      hook: f.subject
        ? pick(f, [
            f.topic ? `Ti presentiamo ${f.topic}${f.bang}` : `Cerchi ${f.subject}? Sei nel posto giusto${f.bang}`,
            `${capFirst(f.subject)}, in stile ${f.name}${f.bang}`,
          ])
        : `Ti presentiamo ${f.name}${f.bang}`,
      body: [
        f.otherKeywords.length
          ? `Tutto quello che facciamo da ${f.name} ruota attorno a ${IT.list(f.otherKeywords)}.`
          : `Tutto quello che facciamo da ${f.name} ruota attorno a una cosa sola: te.`,
        'Fatto con cura, pensato per rendere le tue giornate un po’ più belle.',
      ],
      cta: promoCta(
        f,
        'Scopri di più su',
        `Trovi il link in bio${f.bang}`,
        'Scrivici un messaggio per saperne di più.',
      ),
    }),
    engagement: (f) => ({
      hook: pick(f, [
        `Domanda veloce: cosa ami di più di ${f.subject ?? f.name}?`,
        `Vogliamo sentire la tua voce${f.bang} Quando si parla di ${f.subject ?? f.name}, cosa conta di più per te?`,
      ]),
      body: [
        f.otherKeywords.length >= 2
          ? `Scegli tu: ${IT.listOr(f.otherKeywords)}? O qualcos’altro?`
          : 'Non ci sono risposte sbagliate, e le leggiamo tutte.',
      ],
      closer: `Le tue risposte aiutano ${f.name} a creare sempre più cose che ami.`,
      cta: `Diccelo nei commenti${f.bang}`,
    }),
    storytelling: (f) => ({
      hook: f.topic
        ? `Ecco la storia dietro ${f.topic}.`
        : pick(f, [
            `Cosa succede dietro le quinte di ${f.name}? Te lo raccontiamo.`,
            'Ogni marchio ha una storia. Ecco un pezzo della nostra.',
          ]),
      body: [
        f.mission
          ? `Tutto è nato da un’idea semplice: ${lowerFirst(sentence(f.mission))}`
          : 'Tutto è nato da un’idea semplice: fare le cose con cura, ogni giorno.',
        f.keywords.length >= 2
          ? `Oggi quell’idea guida tutto quello che facciamo, da ${f.keywords[0]} a ${f.keywords[1]}.`
          : 'Oggi quell’idea guida ancora tutto quello che facciamo.',
        'Dietro ogni contenuto che condividiamo c’è una squadra che ci tiene davvero.',
      ],
      cta: 'Seguici per scoprire altri retroscena.',
      usesMission: Boolean(f.mission),
    }),
    announcement: (f) => ({
      hook: f.topic
        ? pick(f, [`Grande novità: ${f.topic}${f.bang}`, `Abbiamo una notizia da darti: ${f.topic}.`])
        : pick(f, [`Grandi novità da ${f.name}${f.bang}`, `Abbiamo qualcosa di speciale da raccontarti${f.bang}`]),
      body: [
        'È un passo importante per noi e per chi ci accompagna da sempre.',
        ...(f.keywords.length ? [`Come sempre, al centro di tutto: ${IT.list(f.keywords)}.`] : []),
      ],
      closer: 'Grazie di far parte di questo viaggio.',
      cta:
        f.linkable && f.site ? `Tutti i dettagli su ${f.site}` : `Segui ${f.name} per non perderti le prossime novità.`,
    }),
    tips: (f) => ({
      hook: f.subject
        ? pick(f, [
            `Vuoi risultati migliori con ${f.subject}? Inizia da qui:`,
            `Qualche consiglio veloce su ${f.subject}, dal team di ${f.name}:`,
          ])
        : `Qualche consiglio veloce dal team di ${f.name}:`,
      bullets: true,
      body: [
        'Cura le basi prima di tutto il resto.',
        f.otherKeywords[0]
          ? `Metti ${f.otherKeywords[0]} al primo posto, non in fondo alla lista.`
          : 'Semplifica: piccoli passi valgono più di grandi rivoluzioni.',
        f.otherKeywords[1]
          ? `Non sottovalutare ${f.otherKeywords[1]}: fa davvero la differenza.`
          : 'Sii costante: i risultati arrivano con il tempo.',
      ],
      closer: 'Quale proverai per primo?',
      cta: 'Salvalo per dopo e condividilo con chi ne ha bisogno.',
    }),
    testimonial: (f) => ({
      hook: pick(f, [
        `Niente ci rende più felici che sentire la voce di chi sceglie ${f.name}.`,
        'Le vostre storie sono il motivo per cui facciamo quello che facciamo.',
      ]),
      body: [
        `Ogni parola gentile su ${f.topic ?? (f.keywords.length ? IT.list(f.keywords) : 'il nostro lavoro')} ci ricorda perché esiste ${f.name}.`,
        'Grazie per la fiducia, per il passaparola e per crescere insieme a noi.',
      ],
      cta: `Hai una storia con ${f.name}? Raccontacela nei commenti: ci piacerebbe condividerla${f.bang}`,
    }),
    seasonal: (f) => ({
      hook: f.topic
        ? pick(f, [`È tempo di ${f.topic}${f.bang}`, `Festeggiamo ${f.topic} insieme a voi${f.bang}`])
        : pick(f, [
            `Una nuova stagione è arrivata, e con lei nuovi motivi per festeggiare${f.bang}`,
            'Questa stagione è fatta di piccole cose.',
          ]),
      body: [
        f.keywords.length
          ? `Da ${f.name} celebriamo questo momento nel modo che conosciamo meglio: con ${IT.list(f.keywords)}.`
          : `Da ${f.name} celebriamo questo momento con le persone che lo rendono speciale: voi.`,
        'Qualunque siano i tuoi programmi, ti auguriamo di trovare qualcosa che ti faccia sorridere.',
      ],
      closer: `Un caro saluto da tutto il team di ${f.name}.`,
      cta:
        f.linkable && f.site
          ? `Scopri le novità di stagione su ${f.site}`
          : `Raccontaci nei commenti la tua tradizione preferita${f.bang}`,
    }),
    trending: (f) => ({
      hook: f.subject
        ? pick(f, [
            `Tutti parlano di ${f.subject}: ecco il nostro punto di vista.`,
            `Di ${f.subject} si parla ovunque in questo periodo. Ecco come la vediamo noi.`,
          ])
        : `Le mode passano. Ecco cosa resta uguale da ${f.name}.`,
      body: [
        f.otherKeywords.length
          ? `Da ${f.name} badiamo meno alle mode e più a quello che resta: ${IT.list(f.otherKeywords)}.`
          : `Da ${f.name} badiamo meno alle mode e più a quello che resta.`,
        'Continueremo a seguire le novità e a condividere solo quello che vale davvero il tuo tempo.',
      ],
      cta: 'E tu cosa ne pensi? Diccelo nei commenti.',
    }),
  },
};
