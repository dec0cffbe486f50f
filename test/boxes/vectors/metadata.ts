import { boxHex, hexToBytes, type BoxVector } from '../../helpers/vector.js';

const hdlrMdir = boxHex('hdlr', '00000000 00000000 6d646972 6170706c 00000000 00000000 00');
const dataHex = boxHex('data', '00000001 00000000 4c61766635382e3736');
const dataValue = { dataType: 1, locale: 0, value: hexToBytes('4c61766635382e3736') };

export const vectors: BoxVector[] = [
  { box: { type: 'data', value: dataValue }, hex: dataHex, dump: ['dataType: 1'] },
  {
    box: { type: 'ilst', children: [{ type: '\u00a9too', children: [{ type: 'data', value: dataValue }] }] },
    hex: boxHex('ilst', boxHex('\u00a9too', dataHex)),
  },
  {
    name: 'meta (ISO FullBox) with hdlr + ilst',
    box: {
      type: 'meta',
      value: {},
      children: [
        { type: 'hdlr', value: { handlerType: 'mdir', manufacturer: 'appl', name: '' } },
        { type: 'ilst', children: [{ type: '\u00a9too', children: [{ type: 'data', value: dataValue }] }] },
      ],
    },
    hex: boxHex('meta', `00000000 ${hdlrMdir} ${boxHex('ilst', boxHex('\u00a9too', dataHex))}`),
  },
  {
    name: 'meta (QuickTime, no version/flags) with keys',
    box: {
      type: 'meta',
      bare: true,
      children: [{ type: 'keys', value: { entries: [{ namespace: 'mdta', value: 'com.apple.quicktime.make' }] } }],
    },
    hex: boxHex('meta', boxHex('keys', '00000000 00000001 00000020 6d647461 636f6d2e6170706c652e717569636b74696d652e6d616b65')),
  },
  {
    box: { type: 'keys', value: { entries: [{ namespace: 'mdta', value: 'a' }] } },
    hex: boxHex('keys', '00000000 00000001 00000009 6d647461 61'),
  },
];
