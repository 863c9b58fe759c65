// kafkajs 2.2.4 passes a negative delay to setTimeout in its request queue, and Node 24 prints
// a TimeoutNegativeWarning for it on every connection (tulios/kafkajs#1751, unfixed: the project
// is unmaintained). Node already treats the delay as 1 ms, which is what kafkajs meant, so the
// warning is noise. Import this module first: it drops that one warning and keeps Node's own
// printing for every other warning.
const printers = process.listeners('warning');
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name === 'TimeoutNegativeWarning') return;
  for (const print of printers) print(warning);
});
