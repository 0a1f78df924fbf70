// Runs on the audio thread: converts the microphone's float frames to 16-bit PCM chunks of ~100 ms.
class PcmCapture extends AudioWorkletProcessor {
  constructor() { super(); this.chunk = new Int16Array(Math.round(sampleRate / 10)); this.n = 0; }
  process(inputs) {
    const ch = inputs[0] && inputs[0][0];
    if (ch) {
      for (let i = 0; i < ch.length; i++) {
        const s = Math.max(-1, Math.min(1, ch[i]));
        this.chunk[this.n++] = s < 0 ? s * 32768 : s * 32767;
        if (this.n === this.chunk.length) { this.port.postMessage(this.chunk.slice(0)); this.n = 0; }
      }
    }
    return true;
  }
}
registerProcessor('pcm-capture', PcmCapture);
