export default function Send() {
  return <h1>Send</h1>;
}
